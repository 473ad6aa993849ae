package io.promptway.runtime.metering;

import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.db.Database;
import io.promptway.runtime.db.WriteBehind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/** The meter on the runtime's database; rows are appended write-behind and flushed before reads. */
public final class JdbcMeter implements Meter {
  private static final List<List<String>> MIGRATIONS =
      List.of(
          List.of(
              "CREATE TABLE IF NOT EXISTS meter_records ("
                  + "id BIGINT AUTO_INCREMENT PRIMARY KEY, request_id VARCHAR(64) NOT NULL, "
                  + "pattern VARCHAR(32), unit VARCHAR(48) NOT NULL, component VARCHAR(16) NOT NULL, "
                  + "model VARCHAR(128), quantity DOUBLE PRECISION NOT NULL, usd DOUBLE PRECISION NOT NULL, "
                  + "recorded_at TIMESTAMP WITH TIME ZONE NOT NULL)",
              "CREATE INDEX IF NOT EXISTS meter_records_request ON meter_records(request_id)"));

  private final Database db;
  private final PriceTable prices;
  private final SimulatedClock clock;
  private final WriteBehind<MeterRecord> writer;
  // Recent requests' records in memory, so a pattern can put the cost in its response without
  // waiting for the database; bounded, oldest requests forgotten first.
  private final java.util.concurrent.ConcurrentHashMap<String, List<MeterRecord>> recent =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.ConcurrentLinkedQueue<String> recentOrder =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private static final int RECENT_LIMIT = 200_000;

  public JdbcMeter(Database db, PriceTable prices, SimulatedClock clock) {
    this.db = db;
    this.prices = prices;
    this.clock = clock;
    db.migrate("metering", MIGRATIONS);
    this.writer =
        new WriteBehind<>(
            db,
            "meter",
            "INSERT INTO meter_records (request_id, pattern, unit, component, model, quantity, usd, recorded_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (ps, r) -> {
              ps.setString(1, r.requestId());
              ps.setString(2, r.pattern());
              ps.setString(3, r.unit().name());
              ps.setString(4, r.component().label());
              ps.setString(5, r.model());
              ps.setDouble(6, r.quantity());
              ps.setDouble(7, r.usd());
              ps.setTimestamp(8, Timestamp.from(r.recordedAt()));
            });
  }

  @Override
  public MeterRecord record(
      String requestId, String pattern, BillableUnit unit, String model, double quantity) {
    if (quantity < 0)
      throw new IllegalArgumentException("negative quantity " + quantity + " of " + unit);
    MeterRecord r =
        new MeterRecord(
            requestId,
            pattern,
            unit,
            model,
            quantity,
            prices.price(unit, model, quantity),
            clock.now());
    writer.add(r);
    List<MeterRecord> list =
        recent.computeIfAbsent(
            requestId,
            id -> {
              recentOrder.add(id);
              return new ArrayList<>(8);
            });
    synchronized (list) {
      list.add(r);
    }
    if (recent.size() > RECENT_LIMIT) {
      String oldest = recentOrder.poll();
      if (oldest != null) recent.remove(oldest);
    }
    return r;
  }

  @Override
  public CostBreakdown cost(String requestId) {
    List<MeterRecord> list = recent.get(requestId);
    if (list == null) return CostBreakdown.of(records(requestId));
    synchronized (list) {
      return CostBreakdown.of(List.copyOf(list));
    }
  }

  @Override
  public List<MeterRecord> records(String requestId) {
    writer.flush();
    return db.list(
        "meter records",
        "SELECT request_id, pattern, unit, model, quantity, usd, recorded_at FROM meter_records "
            + "WHERE request_id = ? ORDER BY id",
        rs ->
            new MeterRecord(
                rs.getString(1),
                rs.getString(2),
                BillableUnit.valueOf(rs.getString(3)),
                rs.getString(4),
                rs.getDouble(5),
                rs.getDouble(6),
                rs.getTimestamp(7).toInstant()),
        requestId);
  }

  @Override
  public List<UsageTotal> totals() {
    writer.flush();
    List<UsageTotal> out = new ArrayList<>();
    try (Connection c = db.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT pattern, unit, model, SUM(quantity), SUM(usd), COUNT(DISTINCT request_id) "
                    + "FROM meter_records GROUP BY pattern, unit, model ORDER BY pattern, unit, model");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new UsageTotal(
                rs.getString(1),
                BillableUnit.valueOf(rs.getString(2)),
                rs.getString(3),
                rs.getDouble(4),
                rs.getDouble(5),
                rs.getLong(6)));
      }
    } catch (SQLException e) {
      throw new Database.DatabaseException("cannot read meter totals: " + e.getMessage(), e);
    }
    return out;
  }

  @Override
  public PriceTable prices() {
    return prices;
  }

  @Override
  public void close() {
    writer.close();
  }
}
