package io.promptway.runtime.store;

import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.db.Database;
import io.promptway.runtime.gateway.ChatMessage;
import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.metering.Meter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * Conversations on JDBC (H2 by default), one row per turn. Billed like DynamoDB on demand: a query
 * reads the whole conversation in 4 KB eventually consistent read units (half a unit each), and
 * each appended turn is one item written in 1 KB write units. Does not model: item size limits (400
 * KB), TTL on conversations, or trimming to the model's context window.
 */
public final class JdbcConversationStore implements ConversationStore {
  private static final List<List<String>> MIGRATIONS =
      List.of(
          List.of(
              "CREATE TABLE IF NOT EXISTS conversation_turns ("
                  + "conversation_id VARCHAR(128) NOT NULL, turn INT NOT NULL, role VARCHAR(16) NOT NULL, "
                  + "content CLOB NOT NULL, created_at TIMESTAMP WITH TIME ZONE NOT NULL, "
                  + "PRIMARY KEY (conversation_id, turn))"));

  private final Database db;
  private final SimulatedClock clock;
  private final Meter meter;

  public JdbcConversationStore(Database db, SimulatedClock clock, Meter meter) {
    this.db = db;
    this.clock = clock;
    this.meter = meter;
    db.migrate("conversations", MIGRATIONS);
  }

  @Override
  public List<ChatMessage> history(String conversationId, String requestId, String pattern) {
    List<ChatMessage> turns = new ArrayList<>();
    long bytes = 0;
    try (Connection c = db.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT role, content FROM conversation_turns WHERE conversation_id = ? ORDER BY turn")) {
      ps.setString(1, conversationId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ChatMessage m = new ChatMessage(rs.getString(1), rs.getString(2));
          bytes += itemBytes(conversationId, m);
          turns.add(m);
        }
      }
    } catch (SQLException e) {
      throw new Database.DatabaseException("cannot read conversation " + conversationId, e);
    }
    meter.record(
        requestId,
        pattern,
        BillableUnit.STATE_READ_UNIT,
        0.5 * Math.max(1, Math.ceil(bytes / 4096.0)));
    return turns;
  }

  @Override
  public synchronized void append(
      String conversationId, List<ChatMessage> turns, String requestId, String pattern) {
    if (turns.isEmpty()) return;
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        int next;
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT COALESCE(MAX(turn), 0) FROM conversation_turns WHERE conversation_id = ?")) {
          ps.setString(1, conversationId);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            next = rs.getInt(1) + 1;
          }
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO conversation_turns (conversation_id, turn, role, content, created_at) VALUES (?, ?, ?, ?, ?)")) {
          Timestamp now = Timestamp.from(clock.now());
          for (ChatMessage m : turns) {
            ps.setString(1, conversationId);
            ps.setInt(2, next++);
            ps.setString(3, m.role());
            ps.setString(4, m.content());
            ps.setTimestamp(5, now);
            ps.addBatch();
          }
          ps.executeBatch();
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new Database.DatabaseException("cannot append to conversation " + conversationId, e);
    }
    for (ChatMessage m : turns) {
      meter.record(
          requestId,
          pattern,
          BillableUnit.STATE_WRITE_UNIT,
          Math.ceil(itemBytes(conversationId, m) / 1024.0));
    }
  }

  @Override
  public int turnCount(String conversationId) {
    try (Connection c = db.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT COUNT(*) FROM conversation_turns WHERE conversation_id = ?")) {
      ps.setString(1, conversationId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      throw new Database.DatabaseException("cannot count turns of " + conversationId, e);
    }
  }

  private static long itemBytes(String conversationId, ChatMessage m) {
    return 40L
        + conversationId.length()
        + m.role().length()
        + m.content().getBytes(StandardCharsets.UTF_8).length;
  }
}
