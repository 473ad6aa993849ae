package io.promptway.runtime.queue;

import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.db.Database;
import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.metering.Meter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An SQS standard queue on the runtime's database, so messages survive a restart. Receiving hides a
 * message for the visibility timeout under a fresh receipt handle (a conditional update, so two
 * consumers never hold the same receive); a message received {@code maxReceiveCount} times moves to
 * the dead-letter queue on its next receive; messages older than the retention period are dropped.
 * Billing follows SQS: one request per API call per 64 KB chunk of payload, empty receives
 * included; a batch receive's bill is shared among the requests whose messages it returned.
 *
 * <p>Not modelled: FIFO queues, message attributes, delay queues, batch send/delete calls, the
 * in-flight limit, and the occasional duplicate or out-of-order delivery of a real standard queue.
 * Times are simulated; because a restarted runtime's clock may be behind a previous run that went
 * faster than real time, messages hidden for longer than the visibility timeout when the queue
 * opens become visible after one timeout instead.
 */
public final class JdbcMessageQueue implements MessageQueue {
  public static final int CHUNK_BYTES = 64 * 1024;

  private static final List<List<String>> MIGRATIONS =
      List.of(
          List.of(
              "CREATE TABLE IF NOT EXISTS queue_messages ("
                  + "seq BIGINT AUTO_INCREMENT PRIMARY KEY, id VARCHAR(64) NOT NULL UNIQUE, "
                  + "queue VARCHAR(80) NOT NULL, body VARCHAR(1048576) NOT NULL, body_bytes INT NOT NULL, "
                  + "request_id VARCHAR(64), sent_at BIGINT NOT NULL, visible_at BIGINT NOT NULL, "
                  + "receive_count INT DEFAULT 0 NOT NULL, first_received_at BIGINT, receipt VARCHAR(64), "
                  + "expires_at BIGINT NOT NULL)",
              "CREATE INDEX IF NOT EXISTS queue_messages_visible ON queue_messages(queue, visible_at)",
              "CREATE INDEX IF NOT EXISTS queue_messages_receipt ON queue_messages(receipt)"));

  private static final String SELECT =
      "SELECT id, body, request_id, receive_count, sent_at, first_received_at, receipt, visible_at, "
          + "expires_at, body_bytes FROM queue_messages ";

  private final Database db;
  private final SimulatedClock clock;
  private final Meter meter;
  private final QueueSettings settings;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();

  public JdbcMessageQueue(Database db, SimulatedClock clock, Meter meter, QueueSettings settings) {
    this.db = db;
    this.clock = clock;
    this.meter = meter;
    this.settings = settings;
    db.migrate("queue", MIGRATIONS);
    capInvisibility();
  }

  @Override
  public String name() {
    return settings.name();
  }

  @Override
  public QueueSettings settings() {
    return settings;
  }

  @Override
  public String send(String body, String requestId) {
    int bytes = body.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > settings.maxMessageBytes()) {
      throw new IllegalArgumentException(
          "message of "
              + bytes
              + " bytes exceeds the queue's maximum of "
              + settings.maxMessageBytes());
    }
    String id = randomId();
    long now = nowMs();
    update(
        "INSERT INTO queue_messages (id, queue, body, body_bytes, request_id, sent_at, visible_at, expires_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        id,
        settings.name(),
        body,
        bytes,
        requestId,
        now,
        now,
        now + settings.retention().toMillis());
    bill(requestId, chunks(bytes));
    signal();
    return id;
  }

  @Override
  public List<ReceivedMessage> receive(int max) {
    return receive(max, settings.visibilityTimeout(), settings.receiveWait());
  }

  @Override
  public List<ReceivedMessage> receive(int max, Duration visibilityTimeout, Duration wait) {
    if (max < 1 || max > QueueSettings.MAX_BATCH) {
      throw new IllegalArgumentException("receive between 1 and 10 messages, not " + max);
    }
    long deadline = System.nanoTime() + clock.toRealNanos(wait);
    List<ReceivedMessage> got = tryReceive(max, visibilityTimeout);
    while (got.isEmpty()
        && System.nanoTime() < deadline
        && !Thread.currentThread().isInterrupted()) {
      awaitArrival(Math.min(deadline - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(50)));
      got = tryReceive(max, visibilityTimeout);
    }
    billReceive(got);
    return got;
  }

  @Override
  public boolean delete(String receiptHandle) {
    String requestId = requestIdOf(receiptHandle);
    int n =
        update(
            "DELETE FROM queue_messages WHERE receipt = ? AND queue = ?",
            receiptHandle,
            settings.name());
    bill(requestId, 1);
    return n > 0;
  }

  @Override
  public boolean changeVisibility(String receiptHandle, Duration timeout) {
    if (timeout.isNegative() || timeout.compareTo(QueueSettings.MAX_VISIBILITY) > 0) {
      throw new IllegalArgumentException("visibility timeout must be between 0 and 12h");
    }
    String requestId = requestIdOf(receiptHandle);
    int n =
        update(
            "UPDATE queue_messages SET visible_at = ? WHERE receipt = ? AND queue = ?",
            nowMs() + timeout.toMillis(),
            receiptHandle,
            settings.name());
    bill(requestId, 1);
    if (timeout.isZero()) signal();
    return n > 0;
  }

  @Override
  public QueueDepth depth() {
    long now = nowMs();
    try (Connection c = db.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT COALESCE(SUM(CASE WHEN visible_at <= ? THEN 1 ELSE 0 END), 0), "
                    + "COALESCE(SUM(CASE WHEN visible_at > ? THEN 1 ELSE 0 END), 0) FROM queue_messages "
                    + "WHERE queue = ? AND expires_at > ?")) {
      ps.setLong(1, now);
      ps.setLong(2, now);
      ps.setString(3, settings.name());
      ps.setLong(4, now);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new QueueDepth(rs.getLong(1), rs.getLong(2));
      }
    } catch (SQLException e) {
      throw failure("count messages", e);
    }
  }

  @Override
  public List<ReceivedMessage> peek(int max) {
    List<ReceivedMessage> out = new ArrayList<>();
    try (Connection c = db.connection();
        PreparedStatement ps =
            c.prepareStatement(
                SELECT + "WHERE queue = ? AND expires_at > ? ORDER BY seq LIMIT ?")) {
      ps.setString(1, settings.name());
      ps.setLong(2, nowMs());
      ps.setInt(3, max);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(message(rs, rs.getString(7), rs.getInt(4)));
      }
    } catch (SQLException e) {
      throw failure("read messages", e);
    }
    return out;
  }

  private List<ReceivedMessage> tryReceive(int max, Duration visibilityTimeout) {
    long now = nowMs();
    List<ReceivedMessage> out = new ArrayList<>();
    try (Connection c = db.connection()) {
      List<Candidate> candidates = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              SELECT + "WHERE queue = ? AND visible_at <= ? ORDER BY visible_at, seq LIMIT ?")) {
        ps.setString(1, settings.name());
        ps.setLong(2, now);
        ps.setInt(3, max * 3);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            candidates.add(
                new Candidate(
                    rs.getString(1),
                    rs.getString(7),
                    rs.getLong(8),
                    rs.getLong(9),
                    rs.getInt(4),
                    message(rs, null, rs.getInt(4))));
          }
        }
      }
      for (Candidate m : candidates) {
        if (out.size() == max) break;
        if (m.expiresAt <= now) {
          claim(c, "DELETE FROM queue_messages", m);
        } else if (settings.deadLetterQueue() != null
            && m.receiveCount >= settings.maxReceiveCount()) {
          redrive(c, m, now);
        } else {
          String receipt = randomId();
          int n =
              claim(
                  c,
                  "UPDATE queue_messages SET receipt = '"
                      + receipt
                      + "', visible_at = "
                      + (now + visibilityTimeout.toMillis())
                      + ", receive_count = receive_count + 1, "
                      + "first_received_at = COALESCE(first_received_at, "
                      + now
                      + ")",
                  m);
          if (n == 1) out.add(m.received(receipt, Instant.ofEpochMilli(now)));
        }
      }
    } catch (SQLException e) {
      throw failure("receive messages", e);
    }
    return out;
  }

  /** Applies {@code head} to a message only if no other consumer changed it since it was read. */
  private int claim(Connection c, String head, Candidate m) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            head + " WHERE id = ? AND visible_at = ? AND receipt IS NOT DISTINCT FROM ?")) {
      ps.setString(1, m.id);
      ps.setLong(2, m.visibleAt);
      ps.setString(3, m.receipt);
      return ps.executeUpdate();
    }
  }

  private void redrive(Connection c, Candidate m, long now) throws SQLException {
    QueueSettings dlq = settings.deadLetterSettings();
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE queue_messages SET queue = ?, receipt = NULL, visible_at = ?, expires_at = sent_at + ? "
                + "WHERE id = ? AND visible_at = ? AND receipt IS NOT DISTINCT FROM ?")) {
      ps.setString(1, dlq.name());
      ps.setLong(2, now);
      ps.setLong(3, dlq.retention().toMillis());
      ps.setString(4, m.id);
      ps.setLong(5, m.visibleAt);
      ps.setString(6, m.receipt);
      ps.executeUpdate();
    }
  }

  private static ReceivedMessage message(ResultSet rs, String receipt, int receiveCount)
      throws SQLException {
    long first = rs.getLong(6);
    Instant firstReceived = rs.wasNull() ? null : Instant.ofEpochMilli(first);
    return new ReceivedMessage(
        rs.getString(1),
        receipt,
        rs.getString(2),
        rs.getString(3),
        receiveCount,
        Instant.ofEpochMilli(rs.getLong(5)),
        firstReceived);
  }

  private void billReceive(List<ReceivedMessage> got) {
    if (got.isEmpty()) {
      bill(null, 1);
      return;
    }
    long bytes = 0;
    for (ReceivedMessage m : got) bytes += m.body().getBytes(StandardCharsets.UTF_8).length;
    double share = (double) chunks(bytes) / got.size();
    for (ReceivedMessage m : got) bill(m.requestId(), share);
  }

  private void bill(String requestId, double requests) {
    String billed = requestId != null ? requestId : "queue:" + settings.name();
    meter.record(billed, settings.owner(), BillableUnit.QUEUE_REQUEST, requests);
  }

  public static long chunks(long bytes) {
    return Math.max(1, (bytes + CHUNK_BYTES - 1) / CHUNK_BYTES);
  }

  private String requestIdOf(String receiptHandle) {
    try (Connection c = db.connection();
        PreparedStatement ps =
            c.prepareStatement("SELECT request_id FROM queue_messages WHERE receipt = ?")) {
      ps.setString(1, receiptHandle);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw failure("find a message", e);
    }
  }

  private void capInvisibility() {
    long cap = nowMs() + settings.visibilityTimeout().toMillis();
    update(
        "UPDATE queue_messages SET visible_at = ? WHERE queue = ? AND visible_at > ?",
        cap,
        settings.name(),
        cap);
  }

  private int update(String sql, Object... args) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        Object a = args[i];
        if (a == null) ps.setNull(i + 1, Types.VARCHAR);
        else if (a instanceof Timestamp t) ps.setTimestamp(i + 1, t);
        else ps.setObject(i + 1, a);
      }
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw failure("update queue " + settings.name(), e);
    }
  }

  private void signal() {
    lock.lock();
    try {
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void awaitArrival(long nanos) {
    if (nanos <= 0) return;
    lock.lock();
    try {
      arrived.awaitNanos(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  /** Ids need no secrecy here; SecureRandom (behind UUID.randomUUID) serialises callers. */
  static String randomId() {
    var r = java.util.concurrent.ThreadLocalRandom.current();
    return new UUID(r.nextLong(), r.nextLong()).toString();
  }

  private long nowMs() {
    return clock.now().toEpochMilli();
  }

  private static Database.DatabaseException failure(String what, SQLException e) {
    return new Database.DatabaseException("cannot " + what + ": " + e.getMessage(), e);
  }

  private record Candidate(
      String id,
      String receipt,
      long visibleAt,
      long expiresAt,
      int receiveCount,
      ReceivedMessage stored) {
    /** The message as this receive hands it out (the claim just counted it). */
    ReceivedMessage received(String newReceipt, Instant now) {
      return new ReceivedMessage(
          stored.messageId(),
          newReceipt,
          stored.body(),
          stored.requestId(),
          receiveCount + 1,
          stored.sentAt(),
          stored.firstReceivedAt() == null ? now : stored.firstReceivedAt());
    }
  }
}
