package io.promptway.runtime.store;

import com.fasterxml.jackson.core.type.TypeReference;
import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.db.BatchWriter;
import io.promptway.runtime.db.Database;
import io.promptway.runtime.db.PackedText;
import io.promptway.runtime.db.Statements;
import io.promptway.runtime.db.WriteBehind;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.metering.Meter;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The request-state table on JDBC (H2 by default). Models DynamoDB on-demand billing: each write is
 * metered in 1 KB write units and each read in 4 KB eventually consistent read units, by item size.
 * Does not model: partitions, hot keys, throttling of the table itself.
 *
 * <p>Requests that are still moving live in memory, where the conditional transitions are decided
 * (one lock per request); every change is written behind to the database in batches, one
 * transaction per batch, in the order it happened. A request is one row; its audit trail is packed
 * (see {@link PackedText}) in a column of that row, to which each batch appends. A request leaves
 * memory once it is finished and its final row is committed. A clean {@link #close()} writes
 * everything; a crash loses at most the batch in flight.
 */
public final class JdbcRequestStore implements RequestStore {
  static final List<List<String>> MIGRATIONS =
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
              "CREATE INDEX IF NOT EXISTS request_transitions_request ON request_transitions(request_id)"),
          List.of(
              "ALTER TABLE requests ALTER COLUMN parameters SET DATA TYPE VARCHAR(1000000)",
              "ALTER TABLE requests ALTER COLUMN result SET DATA TYPE VARCHAR(1000000)"),
          // a request's trail entries of one write batch in one row (see PackedText): fields
          // from_status, to_status, at, detail
          List.of(
              "CREATE TABLE request_trail (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
                  + "request_id VARCHAR(64) NOT NULL, entries VARCHAR(1000000) NOT NULL)",
              "CREATE INDEX request_trail_request ON request_trail(request_id)",
              "INSERT INTO request_trail (request_id, entries) SELECT request_id, "
                  + String.join(
                      " || ",
                      PackedText.sqlField("from_status"),
                      PackedText.sqlField("to_status"),
                      PackedText.sqlInstant("at"),
                      PackedText.sqlField("detail"),
                      PackedText.sqlEndRow())
                  + " FROM request_transitions ORDER BY seq",
              "DROP TABLE request_transitions"),
          // the trail moves into its request's row: one row per request, written with one
          // statement per batch instead of two (and four B-tree inserts instead of six)
          List.of(
              "ALTER TABLE requests ADD COLUMN trail VARCHAR(1000000) DEFAULT '' NOT NULL",
              "UPDATE requests r SET trail = COALESCE((SELECT LISTAGG(t.entries, '') WITHIN GROUP "
                  + "(ORDER BY t.id) FROM request_trail t WHERE t.request_id = r.id), '')",
              "DROP TABLE request_trail"));

  /** The schema the migrations end in, for a database that has none of it yet. */
  static final List<String> FRESH_SCHEMA =
      List.of(
          "CREATE TABLE requests ("
              + "id VARCHAR(64) PRIMARY KEY, pattern VARCHAR(32) NOT NULL, model VARCHAR(128), "
              + "caller VARCHAR(128), status VARCHAR(32) NOT NULL, parameters VARCHAR(1000000), "
              + "prompt_chars INT NOT NULL, created_at TIMESTAMP WITH TIME ZONE NOT NULL, "
              + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL, completed_at TIMESTAMP WITH TIME ZONE, "
              + "expires_at TIMESTAMP WITH TIME ZONE NOT NULL, prompt_tokens INT DEFAULT 0 NOT NULL, "
              + "completion_tokens INT DEFAULT 0 NOT NULL, client_status INT, "
              + "attempts INT DEFAULT 0 NOT NULL, error_code VARCHAR(64), error_message VARCHAR(2048), "
              + "result VARCHAR(1000000), version BIGINT DEFAULT 0 NOT NULL, "
              + "trail VARCHAR(1000000) DEFAULT '' NOT NULL)",
          MIGRATIONS.get(0).get(1));

  private static final String COLUMNS =
      "id, pattern, model, caller, status, parameters, prompt_chars, created_at, updated_at, completed_at, "
          + "expires_at, prompt_tokens, completion_tokens, client_status, attempts, error_code, error_message, "
          + "result, version";

  private static final String INSERT_ROW =
      "INSERT INTO requests ("
          + COLUMNS
          + ", trail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  // A trail that would outgrow its column keeps what it has.
  private static final String TRAIL_APPENDED =
      "CASE WHEN LENGTH(trail) + LENGTH(?1) <= 1000000 THEN trail || ?1 ELSE trail END";
  // What a transition can change.
  private static final String UPDATE_ROW =
      "UPDATE requests SET status = ?2, updated_at = ?3, completed_at = ?4, prompt_tokens = ?5, "
          + "completion_tokens = ?6, client_status = ?7, attempts = ?8, error_code = ?9, "
          + "error_message = ?10, result = ?11, version = ?12, model = ?14, trail = "
          + TRAIL_APPENDED
          + " WHERE id = ?13";
  private static final String APPEND_TRAIL =
      "UPDATE requests SET trail = " + TRAIL_APPENDED + " WHERE id = ?2";

  // Long enough for most of a sync request's changes to share one batch (one insert of its row),
  // short enough that a crash loses little more than before.
  private static final Duration GATHER = Duration.ofMillis(100);

  // Rows a sweep deletes per transaction.
  private static final int SWEEP_CHUNK = 5_000;

  private final Database db;
  private final SimulatedClock clock;
  private final Duration ttl;
  private final Meter meter;
  private final ConcurrentHashMap<String, Live> live = new ConcurrentHashMap<>();
  private final WriteBehind<Change> writes;

  public JdbcRequestStore(Database db, SimulatedClock clock, Duration ttl, Meter meter) {
    this.db = db;
    this.clock = clock;
    this.ttl = ttl;
    this.meter = meter;
    db.migrate("store", MIGRATIONS, FRESH_SCHEMA);
    this.writes = new WriteBehind<>(db, "requests", GATHER, new ChangeWriter());
  }

  /** A request still in memory; its fields are guarded by its own monitor. */
  private static final class Live {
    final String parametersJson;
    RequestRecord record;
    boolean evicted;

    Live(RequestRecord record, String parametersJson) {
      this.record = record;
      this.parametersJson = parametersJson;
    }
  }

  /** What the writer thread puts in the database. */
  private sealed interface Change {}

  private record RowChange(RequestRecord record, String parametersJson) implements Change {}

  private record TrailEntry(
      String requestId, RequestStatus from, RequestStatus to, Instant at, String detail)
      implements Change {}

  @Override
  public RequestRecord create(NewRequest r) {
    Instant now = clock.now();
    String params = Json.text(r.parameters());
    RequestRecord record =
        new RequestRecord(
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
    Live entry = new Live(record, params);
    synchronized (entry) {
      if (live.putIfAbsent(r.id(), entry) != null) {
        throw new Database.DatabaseException(
            "cannot store request " + r.id() + ": duplicate id", null);
      }
      writes.add(new RowChange(record, params));
      writes.add(
          new TrailEntry(
              r.id(),
              null,
              RequestStatus.RECEIVED,
              now,
              "accepted by the " + r.pattern() + " pattern"));
    }
    meterWrite(r.id(), r.pattern(), 200 + params.length());
    return record;
  }

  @Override
  public boolean transition(
      String id, RequestStatus expected, RequestStatus to, String detail, Outcome o) {
    if (!expected.canMoveTo(to)) {
      throw new IllegalStateException(
          "illegal transition " + expected + " -> " + to + " for " + id);
    }
    while (true) {
      Live entry = live.get(id);
      if (entry == null && (entry = load(id)) == null) return false;
      RequestRecord next;
      synchronized (entry) {
        if (entry.evicted) continue;
        if (entry.record.status() != expected) return false;
        next = apply(entry.record, to, o, clock.now());
        entry.record = next;
        writes.add(new RowChange(next, entry.parametersJson));
        writes.add(new TrailEntry(id, expected, to, next.updatedAt(), truncate(detail, 2048)));
      }
      meterWrite(id, next.pattern(), 200 + (o.result() == null ? 0 : o.result().length()));
      return true;
    }
  }

  private static RequestRecord apply(RequestRecord r, RequestStatus to, Outcome o, Instant now) {
    return new RequestRecord(
        r.id(),
        r.pattern(),
        o.model() != null ? o.model() : r.model(),
        r.caller(),
        to,
        r.parameters(),
        r.promptChars(),
        r.createdAt(),
        now,
        to.terminal() ? now : r.completedAt(),
        r.expiresAt(),
        o.promptTokens() != null ? o.promptTokens() : r.promptTokens(),
        o.completionTokens() != null ? o.completionTokens() : r.completionTokens(),
        o.clientStatus() != null ? o.clientStatus() : r.clientStatus(),
        o.attempts() != null ? o.attempts() : r.attempts(),
        o.errorCode() != null ? o.errorCode() : r.errorCode(),
        o.errorMessage() != null ? truncate(o.errorMessage(), 2048) : r.errorMessage(),
        o.result() != null ? o.result() : r.result(),
        r.version() + 1);
  }

  /** Brings a request that is no longer in memory (e.g. after a restart) back, unless finished. */
  private Live load(String id) {
    RequestRecord stored = select(id);
    if (stored == null || stored.status().terminal()) return null;
    Live entry = new Live(stored, Json.text(stored.parameters()));
    Live raced = live.putIfAbsent(id, entry);
    return raced != null ? raced : entry;
  }

  @Override
  public void note(String id, String detail) {
    writes.add(new TrailEntry(id, null, null, clock.now(), truncate(detail, 2048)));
  }

  @Override
  public Optional<RequestRecord> find(String id) {
    Optional<RequestRecord> found = inspect(id);
    found.ifPresent(
        r -> {
          int bytes = 200 + (r.result() == null ? 0 : r.result().length());
          meter.record(
              id, r.pattern(), BillableUnit.STATE_READ_UNIT, 0.5 * Math.ceil(bytes / 4096.0));
        });
    return found;
  }

  @Override
  public Optional<RequestRecord> inspect(String id) {
    RequestRecord r = current(id);
    if (r == null || r.expiresAt().isBefore(clock.now())) return Optional.empty();
    return Optional.of(r);
  }

  private RequestRecord current(String id) {
    Live entry = live.get(id);
    if (entry != null) {
      synchronized (entry) {
        if (!entry.evicted) return entry.record;
      }
    }
    return select(id);
  }

  private RequestRecord select(String id) {
    try (Connection c = db.connection();
        PreparedStatement ps =
            c.prepareStatement("SELECT " + COLUMNS + " FROM requests WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? read(rs) : null;
      }
    } catch (SQLException e) {
      throw new Database.DatabaseException("cannot read request " + id + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<StatusTransition> trail(String id) {
    writes.flush();
    List<StatusTransition> out = new ArrayList<>();
    db.scan(
        "the trail of " + id,
        "SELECT trail FROM requests WHERE id = ?",
        rs -> {
          for (String[] f : PackedText.rows(rs.getString(1))) {
            out.add(
                new StatusTransition(
                    out.size() + 1, status(f[0]), status(f[1]), PackedText.instant(f[2]), f[3]));
          }
        },
        id);
    return out;
  }

  @Override
  public int expire(Instant now) {
    return expire(now, SWEEP_CHUNK);
  }

  int expire(Instant now, int chunk) {
    live.values()
        .removeIf(
            entry -> {
              synchronized (entry) {
                if (entry.record.expiresAt().isBefore(now)) entry.evicted = true;
                return entry.evicted;
              }
            });
    writes.flush();
    // One transaction per chunk of the oldest expired rows, found on the expiry index and deleted
    // by key: a single delete of every expired row held its transaction as long as it ran, and
    // every count of the table (/health, /metrics) waited on it.
    try (Connection c = db.connection();
        PreparedStatement expired =
            c.prepareStatement(
                "SELECT id FROM requests WHERE expires_at < ? ORDER BY expires_at FETCH FIRST ? ROWS ONLY");
        PreparedStatement delete = c.prepareStatement("DELETE FROM requests WHERE id = ?")) {
      expired.setTimestamp(1, Timestamp.from(now));
      expired.setInt(2, chunk);
      c.setAutoCommit(false);
      int deleted = 0;
      try {
        int found;
        do {
          found = batchOldest(expired, delete);
          if (found > 0) {
            for (int n : delete.executeBatch()) deleted += Math.max(n, 0); // its trail goes too
            c.commit();
          }
        } while (found == chunk);
      } catch (SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
      return deleted;
    } catch (SQLException e) {
      throw new Database.DatabaseException("TTL clean-up failed: " + e.getMessage(), e);
    }
  }

  /**
   * Adds a delete of each row {@code expired} finds to {@code delete}'s batch; returns how many.
   */
  private static int batchOldest(PreparedStatement expired, PreparedStatement delete)
      throws SQLException {
    int found = 0;
    try (ResultSet rs = expired.executeQuery()) {
      while (rs.next()) {
        delete.setString(1, rs.getString(1));
        delete.addBatch();
        found++;
      }
    }
    return found;
  }

  @Override
  public long count() {
    writes.flush();
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
  public void close() {
    writes.close();
  }

  /**
   * Writes a batch of changes: per request, its last state and its new trail entries in one
   * statement (an insert for a request created in this batch, else an update that appends to the
   * trail); a note on a request whose row did not change only appends.
   */
  private final class ChangeWriter implements BatchWriter<Change> {
    @Override
    public void write(Statements statements, List<Change> batch) throws SQLException {
      Map<String, RowChange> rows = new LinkedHashMap<>();
      Set<String> created = new HashSet<>();
      Map<String, PackedText.Builder> trails = new HashMap<>();
      for (Change change : batch) {
        if (change instanceof RowChange row) {
          String id = row.record().id();
          if (rows.put(id, row) == null && row.record().version() == 0) created.add(id);
        } else if (change instanceof TrailEntry t) {
          trails
              .computeIfAbsent(t.requestId(), k -> new PackedText.Builder())
              .field(t.from() == null ? null : t.from().name())
              .field(t.to() == null ? null : t.to().name())
              .field(t.at())
              .field(t.detail())
              .endRow();
        }
      }
      PreparedStatement insert = statements.get(INSERT_ROW);
      PreparedStatement update = statements.get(UPDATE_ROW);
      List<RowChange> updated = new ArrayList<>();
      for (RowChange row : rows.values()) {
        String trail = trailOf(trails, row.record().id());
        if (created.contains(row.record().id())) {
          bindRow(insert, row.record(), row.parametersJson(), trail);
          insert.addBatch();
        } else {
          bindUpdate(update, row.record(), trail);
          update.addBatch();
          updated.add(row);
        }
      }
      insert.executeBatch();
      int[] counts = update.executeBatch();
      // a row whose creating batch failed to commit is written whole rather than lost
      boolean missing = false;
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] == 0) {
          RowChange row = updated.get(i);
          bindRow(insert, row.record(), row.parametersJson(), trailOf(trails, row.record().id()));
          insert.addBatch();
          missing = true;
        }
      }
      if (missing) insert.executeBatch();
      PreparedStatement append = statements.get(APPEND_TRAIL);
      boolean appended = false;
      for (Map.Entry<String, PackedText.Builder> t : trails.entrySet()) {
        if (rows.containsKey(t.getKey())) continue;
        append.setString(1, t.getValue().toString());
        append.setString(2, t.getKey());
        append.addBatch();
        appended = true;
      }
      if (appended) append.executeBatch();
    }

    private static String trailOf(Map<String, PackedText.Builder> trails, String id) {
      PackedText.Builder b = trails.get(id);
      return b == null ? "" : b.toString();
    }

    @Override
    public void committed(List<Change> batch) {
      for (Change change : batch) {
        if (change instanceof RowChange row && row.record().status().terminal()) {
          Live entry = live.get(row.record().id());
          if (entry == null) continue;
          synchronized (entry) {
            if (entry.record == row.record()) {
              entry.evicted = true;
              live.remove(row.record().id(), entry);
            }
          }
        }
      }
    }
  }

  private static void bindRow(PreparedStatement ps, RequestRecord r, String params, String trail)
      throws SQLException {
    ps.setString(1, r.id());
    ps.setString(2, r.pattern());
    ps.setString(3, r.model());
    ps.setString(4, r.caller());
    ps.setString(5, r.status().name());
    ps.setString(6, params);
    ps.setInt(7, r.promptChars());
    ps.setTimestamp(8, Timestamp.from(r.createdAt()));
    ps.setTimestamp(9, Timestamp.from(r.updatedAt()));
    ps.setTimestamp(10, r.completedAt() == null ? null : Timestamp.from(r.completedAt()));
    ps.setTimestamp(11, Timestamp.from(r.expiresAt()));
    ps.setInt(12, r.promptTokens());
    ps.setInt(13, r.completionTokens());
    setInt(ps, 14, r.clientStatus());
    ps.setInt(15, r.attempts());
    ps.setString(16, r.errorCode());
    ps.setString(17, r.errorMessage());
    ps.setString(18, r.result());
    ps.setLong(19, r.version());
    ps.setString(20, trail);
  }

  private static void bindUpdate(PreparedStatement ps, RequestRecord r, String trail)
      throws SQLException {
    ps.setString(1, trail);
    ps.setString(2, r.status().name());
    ps.setTimestamp(3, Timestamp.from(r.updatedAt()));
    ps.setTimestamp(4, r.completedAt() == null ? null : Timestamp.from(r.completedAt()));
    ps.setInt(5, r.promptTokens());
    ps.setInt(6, r.completionTokens());
    setInt(ps, 7, r.clientStatus());
    ps.setInt(8, r.attempts());
    ps.setString(9, r.errorCode());
    ps.setString(10, r.errorMessage());
    ps.setString(11, r.result());
    ps.setLong(12, r.version());
    ps.setString(13, r.id());
    ps.setString(14, r.model());
  }

  private void meterWrite(String id, String pattern, int itemBytes) {
    meter.record(id, pattern, BillableUnit.STATE_WRITE_UNIT, Math.ceil(itemBytes / 1024.0));
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
    } catch (IOException e) {
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
