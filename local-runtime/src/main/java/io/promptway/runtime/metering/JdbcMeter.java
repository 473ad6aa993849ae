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
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The meter on the runtime's database; rows are appended write-behind and flushed before reads.
 * Totals per pattern, unit and model are kept as running sums, seeded from the table at start-up,
 * so reading them does not scan every row ever metered. A request is counted once per total while
 * it is among the recent requests kept in memory (the last {@value #RECENT_LIMIT}).
 */
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
  private final ConcurrentHashMap<String, List<MeterRecord>> recent = new ConcurrentHashMap<>();
  private final java.util.concurrent.ConcurrentLinkedQueue<String> recentOrder =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private static final int RECENT_LIMIT = 200_000;
  private final ConcurrentHashMap<TotalKey, RunningTotal> totals = new ConcurrentHashMap<>();

  private record TotalKey(String pattern, BillableUnit unit, String model) {
    static TotalKey of(MeterRecord r) {
      return new TotalKey(r.pattern(), r.unit(), r.model());
    }
  }

  private static final class RunningTotal {
    final DoubleAdder quantity = new DoubleAdder();
    final DoubleAdder usd = new DoubleAdder();
    final LongAdder requests = new LongAdder();
  }

  public JdbcMeter(Database db, PriceTable prices, SimulatedClock clock) {
    this.db = db;
    this.prices = prices;
    this.clock = clock;
    db.migrate("metering", MIGRATIONS);
    seedTotals();
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
    TotalKey key = TotalKey.of(r);
    boolean firstOfItsKind;
    synchronized (list) {
      firstOfItsKind = list.stream().noneMatch(m -> TotalKey.of(m).equals(key));
      list.add(r);
    }
    RunningTotal total = totals.computeIfAbsent(key, k -> new RunningTotal());
    total.quantity.add(r.quantity());
    total.usd.add(r.usd());
    if (firstOfItsKind) total.requests.increment();
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
    List<UsageTotal> out = new ArrayList<>(totals.size());
    totals.forEach(
        (k, t) ->
            out.add(
                new UsageTotal(
                    k.pattern(),
                    k.unit(),
                    k.model(),
                    t.quantity.sum(),
                    t.usd.sum(),
                    t.requests.sum())));
    out.sort(TOTALS_ORDER);
    return out;
  }

  private static final Comparator<UsageTotal> TOTALS_ORDER =
      Comparator.comparing(UsageTotal::pattern, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(t -> t.unit().name())
          .thenComparing(UsageTotal::model, Comparator.nullsFirst(Comparator.naturalOrder()));

  /** What the table holds from earlier runs on the same database: one scan, at start-up. */
  private void seedTotals() {
    try (Connection c = db.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT pattern, unit, model, SUM(quantity), SUM(usd), COUNT(DISTINCT request_id) "
                    + "FROM meter_records GROUP BY pattern, unit, model");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        RunningTotal t = new RunningTotal();
        t.quantity.add(rs.getDouble(4));
        t.usd.add(rs.getDouble(5));
        t.requests.add(rs.getLong(6));
        totals.put(
            new TotalKey(rs.getString(1), BillableUnit.valueOf(rs.getString(2)), rs.getString(3)),
            t);
      }
    } catch (SQLException e) {
      throw new Database.DatabaseException("cannot read meter totals: " + e.getMessage(), e);
    }
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
