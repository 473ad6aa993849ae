package io.promptway.runtime.store;

import com.fasterxml.jackson.core.type.TypeReference;
import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.db.Database;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.metering.Meter;
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
import java.util.Map;
import java.util.Optional;

/**
 * The request-state table on JDBC (H2 by default). Models DynamoDB on-demand billing: each write is
 * metered in 1 KB write units and each read in 4 KB eventually consistent read units, by item size.
 * Does not model: partitions, hot keys, throttling of the table itself.
 */
public final class JdbcRequestStore implements RequestStore {
  private static final List<List<String>> MIGRATIONS =
      List.of(
          List.of(
              "CREATE TABLE IF NOT EXISTS requests ("
                  + "id VARCHAR(64) PRIMARY KEY, pattern VARCHAR(32) NOT NULL, model VARCHAR(128), "
                  + "caller VARCHAR(128), status VARCHAR(32) NOT NULL, parameters CLOB, prompt_chars INT NOT NULL, "
                  + "created_at TIMESTAMP WITH TIME ZONE NOT NULL, updated_at TIMESTAMP WITH TIME ZONE NOT NULL, "
                  + "completed_at TIMESTAMP WITH TIME ZONE, expires_at TIMESTAMP WITH TIME ZONE NOT NULL, "
                  + "prompt_tokens INT DEFAULT 0 NOT NULL, completion_tokens INT DEFAULT 0 NOT NULL, "
                  + "client_status INT, attempts INT DEFAULT 0 NOT NULL, error_code VARCHAR(64), "
                  + "error_message VARCHAR(2048), result CLOB, version BIGINT DEFAULT 0 NOT NULL)",
              "CREATE INDEX IF NOT EXISTS requests_expires ON requests(expires_at)",
              "CREATE TABLE IF NOT EXISTS request_transitions ("
                  + "seq BIGINT AUTO_INCREMENT PRIMARY KEY, request_id VARCHAR(64) NOT NULL, "
                  + "from_status VARCHAR(32), to_status VARCHAR(32), at TIMESTAMP WITH TIME ZONE NOT NULL, "
                  + "detail VARCHAR(2048))",
              "CREATE INDEX IF NOT EXISTS request_transitions_request ON request_transitions(request_id)"));

  private static final String COLUMNS =
      "id, pattern, model, caller, status, parameters, prompt_chars, created_at, updated_at, completed_at, "
          + "expires_at, prompt_tokens, completion_tokens, client_status, attempts, error_code, error_message, "
          + "result, version";

  private final Database db;
  private final SimulatedClock clock;
  private final Duration ttl;
  private final Meter meter;

  public JdbcRequestStore(Database db, SimulatedClock clock, Duration ttl, Meter meter) {
    this.db = db;
    this.clock = clock;
    this.ttl = ttl;
    this.meter = meter;
    db.migrate("store", MIGRATIONS);
  }

  @Override
  public RequestRecord create(NewRequest r) {
    Instant now = clock.now();
    String params = Json.text(r.parameters());
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO requests (id, pattern, model, caller, status, parameters, prompt_chars, created_at, "
                  + "updated_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, r.id());
        ps.setString(2, r.pattern());
        ps.setString(3, r.model());
        ps.setString(4, r.caller());
        ps.setString(5, RequestStatus.RECEIVED.name());
        ps.setString(6, params);
        ps.setInt(7, r.promptChars());
        ps.setTimestamp(8, Timestamp.from(now));
        ps.setTimestamp(9, Timestamp.from(now));
        ps.setTimestamp(10, Timestamp.from(now.plus(ttl)));
        ps.executeUpdate();
        insertTransition(
            c,
            r.id(),
            null,
            RequestStatus.RECEIVED,
            now,
            "accepted by the " + r.pattern() + " pattern");
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new Database.DatabaseException(
          "cannot store request " + r.id() + ": " + e.getMessage(), e);
    }
    meterWrite(r.id(), r.pattern(), 200 + params.length());
    return new RequestRecord(
        r.id(),
        r.pattern(),
        r.model(),
        r.caller(),
        RequestStatus.RECEIVED,
        r.parameters(),
        r.promptChars(),
        now,
        now,
        null,
        now.plus(ttl),
        0,
        0,
        null,
        0,
        null,
        null,
        null,
        0);
  }

  @Override
  public boolean transition(
      String id, RequestStatus expected, RequestStatus to, String detail, Outcome o) {
    if (!expected.canMoveTo(to)) {
      throw new IllegalStateException(
          "illegal transition " + expected + " -> " + to + " for " + id);
    }
    Instant now = clock.now();
    String pattern;
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE requests SET status = ?, updated_at = ?, version = version + 1, "
                  + "completed_at = CASE WHEN ? THEN ? ELSE completed_at END, "
                  + "prompt_tokens = COALESCE(?, prompt_tokens), completion_tokens = COALESCE(?, completion_tokens), "
                  + "client_status = COALESCE(?, client_status), attempts = COALESCE(?, attempts), "
                  + "error_code = COALESCE(?, error_code), error_message = COALESCE(?, error_message), "
                  + "result = COALESCE(?, result) WHERE id = ? AND status = ?")) {
        ps.setString(1, to.name());
        ps.setTimestamp(2, Timestamp.from(now));
        ps.setBoolean(3, to.terminal());
        ps.setTimestamp(4, Timestamp.from(now));
        setInt(ps, 5, o.promptTokens());
        setInt(ps, 6, o.completionTokens());
        setInt(ps, 7, o.clientStatus());
        setInt(ps, 8, o.attempts());
        ps.setString(9, o.errorCode());
        ps.setString(10, truncate(o.errorMessage(), 2048));
        ps.setString(11, o.result());
        ps.setString(12, id);
        ps.setString(13, expected.name());
        if (ps.executeUpdate() == 0) {
          c.rollback();
          return false;
        }
        insertTransition(c, id, expected, to, now, detail);
        pattern = patternOf(c, id);
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new Database.DatabaseException(
          "cannot update request " + id + ": " + e.getMessage(), e);
    }
    meterWrite(id, pattern, 200 + (o.result() == null ? 0 : o.result().length()));
    return true;
  }

  @Override
  public void note(String id, String detail) {
    try (Connection c = db.connection()) {
      insertTransition(c, id, null, null, clock.now(), detail);
    } catch (SQLException e) {
      throw new Database.DatabaseException(
          "cannot note on request " + id + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<RequestRecord> find(String id) {
    try (Connection c = db.connection();
        PreparedStatement ps =
            c.prepareStatement("SELECT " + COLUMNS + " FROM requests WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return Optional.empty();
        RequestRecord r = read(rs);
        if (r.expiresAt().isBefore(clock.now())) return Optional.empty();
        int bytes = 200 + (r.result() == null ? 0 : r.result().length());
        meter.record(
            id, r.pattern(), BillableUnit.STATE_READ_UNIT, 0.5 * Math.ceil(bytes / 4096.0));
        return Optional.of(r);
      }
    } catch (SQLException e) {
      throw new Database.DatabaseException("cannot read request " + id + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<StatusTransition> trail(String id) {
    List<StatusTransition> out = new ArrayList<>();
    try (Connection c = db.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT seq, from_status, to_status, at, detail FROM request_transitions WHERE request_id = ? ORDER BY seq")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new StatusTransition(
                  rs.getLong(1),
                  status(rs.getString(2)),
                  status(rs.getString(3)),
                  rs.getTimestamp(4).toInstant(),
                  rs.getString(5)));
        }
      }
    } catch (SQLException e) {
      throw new Database.DatabaseException(
          "cannot read the trail of " + id + ": " + e.getMessage(), e);
    }
    return out;
  }

  @Override
  public int expire(Instant now) {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try (PreparedStatement del =
              c.prepareStatement(
                  "DELETE FROM request_transitions WHERE request_id IN (SELECT id FROM requests WHERE expires_at < ?)");
          PreparedStatement ps = c.prepareStatement("DELETE FROM requests WHERE expires_at < ?")) {
        del.setTimestamp(1, Timestamp.from(now));
        del.executeUpdate();
        ps.setTimestamp(1, Timestamp.from(now));
        int n = ps.executeUpdate();
        c.commit();
        return n;
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new Database.DatabaseException("TTL clean-up failed: " + e.getMessage(), e);
    }
  }

  @Override
  public long count() {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM requests");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new Database.DatabaseException("cannot count requests: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {}

  private void meterWrite(String id, String pattern, int itemBytes) {
    meter.record(id, pattern, BillableUnit.STATE_WRITE_UNIT, Math.ceil(itemBytes / 1024.0));
  }

  private static void insertTransition(
      Connection c, String id, RequestStatus from, RequestStatus to, Instant at, String detail)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO request_transitions (request_id, from_status, to_status, at, detail) VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, id);
      ps.setString(2, from == null ? null : from.name());
      ps.setString(3, to == null ? null : to.name());
      ps.setTimestamp(4, Timestamp.from(at));
      ps.setString(5, truncate(detail, 2048));
      ps.executeUpdate();
    }
  }

  private static String patternOf(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pattern FROM requests WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static RequestRecord read(ResultSet rs) throws SQLException {
    Map<String, Object> params = rs.getString(6) == null ? Map.of() : readParams(rs.getString(6));
    Timestamp completed = rs.getTimestamp(10);
    int clientStatus = rs.getInt(14);
    Integer client = rs.wasNull() ? null : clientStatus;
    return new RequestRecord(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        RequestStatus.valueOf(rs.getString(5)),
        params,
        rs.getInt(7),
        rs.getTimestamp(8).toInstant(),
        rs.getTimestamp(9).toInstant(),
        completed == null ? null : completed.toInstant(),
        rs.getTimestamp(11).toInstant(),
        rs.getInt(12),
        rs.getInt(13),
        client,
        rs.getInt(15),
        rs.getString(16),
        rs.getString(17),
        rs.getString(18),
        rs.getLong(19));
  }

  private static Map<String, Object> readParams(String json) {
    try {
      return Json.mapper().readValue(json, new TypeReference<>() {});
    } catch (java.io.IOException e) {
      return Map.of("unreadable", json);
    }
  }

  private static RequestStatus status(String s) {
    return s == null ? null : RequestStatus.valueOf(s);
  }

  private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
    if (v == null) ps.setNull(i, Types.INTEGER);
    else ps.setInt(i, v);
  }

  private static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
