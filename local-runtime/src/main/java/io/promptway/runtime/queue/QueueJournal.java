package io.promptway.runtime.queue;

import io.promptway.runtime.db.Database;
import io.promptway.runtime.db.GroupCommit;
import io.promptway.runtime.db.Statements;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The durable log of every queue on one database, written by group commit: callers append row
 * changes and wait for them; whichever caller finds no write in progress writes everything pending
 * in one transaction (one INSERT, UPDATE and DELETE batch each) while the others wait, so
 * concurrent sends, receives and deletes share a commit. A change is acknowledged only once its
 * transaction committed. Several changes to one message within a batch collapse into one row write.
 *
 * <p>Queues opened separately on one database must share their live state (a redrive by one queue
 * is received through another), so there is one journal per {@link Database}, found by identity;
 * the journal holds the database's data source, not the database, so a closed database's journal is
 * collected with it.
 */
final class QueueJournal {
  private static final Map<Database, QueueJournal> JOURNALS =
      Collections.synchronizedMap(new WeakHashMap<>());

  static final List<List<String>> MIGRATIONS =
      List.of(
          List.of(
              "CREATE TABLE IF NOT EXISTS queue_messages ("
                  + "seq BIGINT AUTO_INCREMENT PRIMARY KEY, id VARCHAR(64) NOT NULL UNIQUE, "
                  + "queue VARCHAR(80) NOT NULL, body VARCHAR(1048576) NOT NULL, body_bytes INT NOT NULL, "
                  + "request_id VARCHAR(64), sent_at BIGINT NOT NULL, visible_at BIGINT NOT NULL, "
                  + "receive_count INT DEFAULT 0 NOT NULL, first_received_at BIGINT, receipt VARCHAR(64), "
                  + "expires_at BIGINT NOT NULL)",
              "CREATE INDEX IF NOT EXISTS queue_messages_visible ON queue_messages(queue, visible_at)",
              "CREATE INDEX IF NOT EXISTS queue_messages_receipt ON queue_messages(receipt)"),
          // The live state of each queue is in memory and the table is its journal, read once per
          // queue at start-up: secondary indexes only cost every send, receive and delete.
          List.of(
              "DROP INDEX IF EXISTS queue_messages_visible",
              "DROP INDEX IF EXISTS queue_messages_receipt"));

  private static final String INSERT =
      "INSERT INTO queue_messages (id, queue, body, body_bytes, request_id, sent_at, visible_at, "
          + "receive_count, first_received_at, receipt, expires_at) "
          + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String UPDATE =
      "UPDATE queue_messages SET queue = ?, visible_at = ?, receive_count = ?, "
          + "first_received_at = ?, receipt = ?, expires_at = ? WHERE id = ?";
  private static final String DELETE = "DELETE FROM queue_messages WHERE id = ?";

  private final DataSource data;
  private final Map<String, QueueState> states = new HashMap<>();
  private final GroupCommit<Change> writes;

  private QueueJournal(Database db) {
    this.data = db.dataSource();
    this.writes = new GroupCommit<>(db, "queue messages", QueueJournal::write);
  }

  /** The journal of {@code db}, migrating the queue table the first time. */
  static QueueJournal of(Database db) {
    synchronized (JOURNALS) {
      QueueJournal j = JOURNALS.get(db);
      if (j == null) {
        db.migrate("queue", MIGRATIONS);
        j = new QueueJournal(db);
        JOURNALS.put(db, j);
      }
      return j;
    }
  }

  /** The live state of a queue, loaded from the database when first asked for. */
  QueueState state(String name, Function<String, QueueState> load) {
    synchronized (states) {
      return states.computeIfAbsent(name, load);
    }
  }

  enum Kind {
    INSERT,
    UPDATE,
    DELETE
  }

  /** One row change; {@code row} is a snapshot taken when the change was made. */
  record Change(Kind kind, Row row) {}

  /** The stored columns of one message. */
  record Row(
      String id,
      String queue,
      String body,
      int bodyBytes,
      String requestId,
      long sentAt,
      long visibleAt,
      int receiveCount,
      Long firstReceivedAt,
      String receipt,
      long expiresAt) {}

  /** Adds a change to the next batch without waiting for it. */
  GroupCommit.Pending<Change> append(Kind kind, Row row) {
    return writes.append(new Change(kind, row));
  }

  /** Waits until {@code c} (and so everything appended before it) is committed. */
  void await(GroupCommit.Pending<Change> c) {
    writes.await(c);
  }

  /** Appends and waits. */
  void commit(Kind kind, Row row) {
    writes.commit(new Change(kind, row));
  }

  private static void write(Statements statements, List<Change> batch) throws SQLException {
    Map<String, Change> last = new LinkedHashMap<>();
    for (Change c : batch) {
      Change before = last.get(c.row().id());
      if (before == null) {
        last.put(c.row().id(), c);
      } else if (before.kind() == Kind.INSERT && c.kind() == Kind.DELETE) {
        last.remove(c.row().id());
      } else if (before.kind() == Kind.INSERT) {
        last.put(c.row().id(), new Change(Kind.INSERT, c.row()));
      } else {
        last.put(c.row().id(), c);
      }
    }
    if (last.isEmpty()) return;
    PreparedStatement insert = statements.get(INSERT);
    PreparedStatement update = statements.get(UPDATE);
    PreparedStatement delete = statements.get(DELETE);
    int inserts = 0;
    int updates = 0;
    int deletes = 0;
    for (Change c : last.values()) {
      Row r = c.row();
      switch (c.kind()) {
        case INSERT -> {
          insert.setString(1, r.id());
          insert.setString(2, r.queue());
          insert.setString(3, r.body());
          insert.setInt(4, r.bodyBytes());
          insert.setString(5, r.requestId());
          insert.setLong(6, r.sentAt());
          insert.setLong(7, r.visibleAt());
          insert.setInt(8, r.receiveCount());
          setLong(insert, 9, r.firstReceivedAt());
          insert.setString(10, r.receipt());
          insert.setLong(11, r.expiresAt());
          insert.addBatch();
          inserts++;
        }
        case UPDATE -> {
          update.setString(1, r.queue());
          update.setLong(2, r.visibleAt());
          update.setInt(3, r.receiveCount());
          setLong(update, 4, r.firstReceivedAt());
          update.setString(5, r.receipt());
          update.setLong(6, r.expiresAt());
          update.setString(7, r.id());
          update.addBatch();
          updates++;
        }
        case DELETE -> {
          delete.setString(1, r.id());
          delete.addBatch();
          deletes++;
        }
      }
    }
    if (inserts > 0) insert.executeBatch();
    if (updates > 0) update.executeBatch();
    if (deletes > 0) delete.executeBatch();
  }

  /** The stored messages of one queue, oldest first. */
  List<Row> load(String queue) {
    List<Row> rows = new ArrayList<>();
    try (Connection c = data.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT id, queue, body, body_bytes, request_id, sent_at, visible_at, receive_count, "
                    + "first_received_at, receipt, expires_at FROM queue_messages WHERE queue = ? "
                    + "ORDER BY seq")) {
      ps.setString(1, queue);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long first = rs.getLong(9);
          Long firstReceived = rs.wasNull() ? null : first;
          rows.add(
              new Row(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getInt(4),
                  rs.getString(5),
                  rs.getLong(6),
                  rs.getLong(7),
                  rs.getInt(8),
                  firstReceived,
                  rs.getString(10),
                  rs.getLong(11)));
        }
      }
    } catch (SQLException e) {
      throw new Database.DatabaseException("cannot read queue " + queue + ": " + e.getMessage(), e);
    }
    return rows;
  }

  private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) ps.setNull(i, Types.BIGINT);
    else ps.setLong(i, v);
  }
}
