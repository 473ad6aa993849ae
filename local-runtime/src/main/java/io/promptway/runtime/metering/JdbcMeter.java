package io.promptway.runtime.metering;

import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.db.Database;
import io.promptway.runtime.db.PackedText;
import io.promptway.runtime.db.Statements;
import io.promptway.runtime.db.WriteBehind;
import io.promptway.runtime.http.Lazy;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The meter on the runtime's database; rows are appended write-behind and flushed before reads.
 * Totals per pattern, unit and model are kept as running sums, so reading them does not scan every
 * row ever metered; rows that earlier runs left in the table are summed once, on the first read. A
 * request is counted once per total while it is among the recent requests kept in memory (the last
 * {@value #RECENT_LIMIT}).
 */
public final class JdbcMeter implements Meter {
  // Version 2 packs a request's records of one write batch into one row (see PackedText): fields
  // pattern, unit, model, quantity, usd, recorded_at.
  static final List<List<String>> MIGRATIONS =
      List.of(
          List.of(
              "CREATE TABLE IF NOT EXISTS meter_records ("
                  + "id BIGINT AUTO_INCREMENT PRIMARY KEY, request_id VARCHAR(64) NOT NULL, "
                  + "pattern VARCHAR(32), unit VARCHAR(48) NOT NULL, component VARCHAR(16) NOT NULL, "
                  + "model VARCHAR(128), quantity DOUBLE PRECISION NOT NULL, usd DOUBLE PRECISION NOT NULL, "
                  + "recorded_at TIMESTAMP WITH TIME ZONE NOT NULL)",
              "CREATE INDEX IF NOT EXISTS meter_records_request ON meter_records(request_id)"),
          List.of(
              "CREATE TABLE meter_lines (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
                  + "request_id VARCHAR(64) NOT NULL, records VARCHAR(1000000) NOT NULL)",
              "CREATE INDEX meter_lines_request ON meter_lines(request_id)",
              "INSERT INTO meter_lines (request_id, records) SELECT request_id, "
                  + String.join(
                      " || ",
                      PackedText.sqlField("pattern"),
                      PackedText.sqlField("unit"),
                      PackedText.sqlField("model"),
                      PackedText.sqlNumber("quantity"),
                      PackedText.sqlNumber("usd"),
                      PackedText.sqlInstant("recorded_at"),
                      PackedText.sqlEndRow())
                  + " FROM meter_records ORDER BY id",
              "DROP TABLE meter_records"));

  /** The schema the migrations end in, for a database that has none of it yet. */
  static final List<String> FRESH_SCHEMA = MIGRATIONS.get(1).subList(0, 2);

  // A request's records of one batch share a row, so a batch gathers long enough to hold most of a
  // sync request's records, and several of an async one's; measured side by side, 100 ms cut CPU
  // per async request as much as 200 ms, and 1 s cost more than it saved.
  private static final Duration GATHER = Duration.ofMillis(100);

  private final Database db;
  private final PriceTable prices;
  private final SimulatedClock clock;
  private final WriteBehind<MeterRecord> writer;
  // Recent requests' cost in memory, so a pattern can put it in its response without waiting for
  // the database, and the running totals each is already counted in; bounded, oldest requests
  // forgotten first. Kept in arrays by slot, guarded by `recent`: objects per request kept this
  // long were most of what the young-generation collections had to copy.
  private static final int RECENT_LIMIT = 200_000;
  private static final int COMPONENTS = Component.values().length;
  private final RecentRequests recent = new RecentRequests(RECENT_LIMIT);
  private double[] recentTotalUsd = new double[0];
  private double[] recentUsd = new double[0]; // COMPONENTS per slot
  private long[] recentCountedIn = new long[0]; // countedWords per slot: a bit per running total
  private int countedWords = 1;
  private final AtomicInteger totalsMade = new AtomicInteger();
  private final ConcurrentHashMap<TotalKey, RunningTotal> totals = new ConcurrentHashMap<>();
  private final long lastIdOfEarlierRuns;
  private final Lazy<Map<TotalKey, UsageTotal>> earlierRuns = new Lazy<>(this::earlierTotals);

  private record TotalKey(String pattern, BillableUnit unit, String model) {
    static TotalKey of(MeterRecord r) {
      return new TotalKey(r.pattern(), r.unit(), r.model());
    }
  }

  private static final class RunningTotal {
    final int index;
    final DoubleAdder quantity = new DoubleAdder();
    final DoubleAdder usd = new DoubleAdder();
    final LongAdder requests = new LongAdder();

    RunningTotal(int index) {
      this.index = index;
    }
  }

  public JdbcMeter(Database db, PriceTable prices, SimulatedClock clock) {
    this.db = db;
    this.prices = prices;
    this.clock = clock;
    db.migrate("metering", MIGRATIONS, FRESH_SCHEMA);
    this.lastIdOfEarlierRuns =
        db.list(
                "meter records",
                "SELECT COALESCE(MAX(id), 0) FROM meter_lines",
                rs -> rs.getLong(1))
            .getFirst();
    this.writer = new WriteBehind<>(db, "meter", GATHER, JdbcMeter::writeLines);
  }

  /** One row per request in the batch, its records packed in the order they were made. */
  private static void writeLines(Statements statements, List<MeterRecord> batch)
      throws SQLException {
    PackedText.ByKey lines = new PackedText.ByKey();
    for (MeterRecord r : batch) {
      lines
          .of(r.requestId())
          .field(r.pattern())
          .field(r.unit().name())
          .field(r.model())
          .field(r.quantity())
          .field(r.usd())
          .field(r.recordedAt())
          .endRow();
    }
    lines.insertAll(statements.get("INSERT INTO meter_lines (request_id, records) VALUES (?, ?)"));
  }

  private static List<MeterRecord> unpack(String requestId, String packed) {
    List<MeterRecord> out = new ArrayList<>();
    for (String[] f : PackedText.rows(packed)) {
      out.add(
          new MeterRecord(
              requestId,
              f[0],
              BillableUnit.valueOf(f[1]),
              f[2],
              Double.parseDouble(f[3]),
              Double.parseDouble(f[4]),
              PackedText.instant(f[5])));
    }
    return out;
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
    RunningTotal total =
        totals.computeIfAbsent(TotalKey.of(r), k -> new RunningTotal(totalsMade.getAndIncrement()));
    total.quantity.add(r.quantity());
    total.usd.add(r.usd());
    if (remember(r, total)) total.requests.increment();
    return r;
  }

  /** Adds a record to its request's recent cost; true when it is the first of {@code total}. */
  private boolean remember(MeterRecord r, RunningTotal total) {
    synchronized (recent) {
      int slot = recent.claim(r.requestId());
      if (slot < 0) {
        slot = -slot - 1;
        if (slot >= recentTotalUsd.length) grow(recent.capacity(), countedWords);
        recentTotalUsd[slot] = 0;
        Arrays.fill(recentUsd, slot * COMPONENTS, (slot + 1) * COMPONENTS, 0);
        Arrays.fill(recentCountedIn, slot * countedWords, (slot + 1) * countedWords, 0);
      }
      recentTotalUsd[slot] += r.usd();
      recentUsd[slot * COMPONENTS + r.component().ordinal()] += r.usd();
      int word = total.index >>> 6;
      if (word >= countedWords) grow(recentTotalUsd.length, word + 1);
      long bit = 1L << total.index;
      int at = slot * countedWords + word;
      boolean first = (recentCountedIn[at] & bit) == 0;
      recentCountedIn[at] |= bit;
      return first;
    }
  }

  /**
   * Room for {@code slots} requests, as the recent requests' slots grow, and {@code words} of bits
   * each, as the running totals pass a multiple of 64 (rare: a few dozen totals in all).
   */
  private void grow(int slots, int words) {
    recentTotalUsd = Arrays.copyOf(recentTotalUsd, slots);
    recentUsd = Arrays.copyOf(recentUsd, slots * COMPONENTS);
    long[] counted = new long[slots * words];
    int held = recentCountedIn.length / countedWords;
    for (int slot = 0; slot < held; slot++) {
      System.arraycopy(recentCountedIn, slot * countedWords, counted, slot * words, countedWords);
    }
    recentCountedIn = counted;
    countedWords = words;
  }

  @Override
  public CostBreakdown cost(String requestId) {
    synchronized (recent) {
      int slot = recent.find(requestId);
      if (slot >= 0) {
        return CostBreakdown.of(
            recentTotalUsd[slot],
            Arrays.copyOfRange(recentUsd, slot * COMPONENTS, (slot + 1) * COMPONENTS));
      }
    }
    return CostBreakdown.of(records(requestId));
  }

  @Override
  public List<MeterRecord> records(String requestId) {
    writer.flush();
    List<MeterRecord> out = new ArrayList<>();
    db.scan(
        "meter records",
        "SELECT records FROM meter_lines WHERE request_id = ? ORDER BY id",
        rs -> out.addAll(unpack(requestId, rs.getString(1))),
        requestId);
    return out;
  }

  @Override
  public List<UsageTotal> totals() {
    Map<TotalKey, UsageTotal> out = new HashMap<>(earlierRuns.get());
    totals.forEach(
        (k, t) ->
            out.merge(
                k,
                new UsageTotal(
                    k.pattern(),
                    k.unit(),
                    k.model(),
                    t.quantity.sum(),
                    t.usd.sum(),
                    t.requests.sum()),
                UsageTotal::plus));
    List<UsageTotal> sorted = new ArrayList<>(out.values());
    sorted.sort(TOTALS_ORDER);
    return sorted;
  }

  private static final Comparator<UsageTotal> TOTALS_ORDER =
      Comparator.comparing(UsageTotal::pattern, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(t -> t.unit().name())
          .thenComparing(UsageTotal::model, Comparator.nullsFirst(Comparator.naturalOrder()));

  /**
   * The rows earlier runs left in the table (not this one's): one scan, on the first read, in
   * request order so that a request is counted once per total without remembering every request.
   */
  private Map<TotalKey, UsageTotal> earlierTotals() {
    Map<TotalKey, UsageTotal> out = new HashMap<>();
    if (lastIdOfEarlierRuns == 0) return out;
    String[] current = {null};
    Set<TotalKey> countedForCurrent = new HashSet<>();
    db.scan(
        "meter totals",
        "SELECT request_id, records FROM meter_lines WHERE id <= ? ORDER BY request_id",
        rs -> {
          String requestId = rs.getString(1);
          if (!requestId.equals(current[0])) {
            current[0] = requestId;
            countedForCurrent.clear();
          }
          for (MeterRecord r : unpack(requestId, rs.getString(2))) {
            TotalKey key = TotalKey.of(r);
            UsageTotal one =
                new UsageTotal(
                    r.pattern(),
                    r.unit(),
                    r.model(),
                    r.quantity(),
                    r.usd(),
                    countedForCurrent.add(key) ? 1 : 0);
            out.merge(key, one, UsageTotal::plus);
          }
        },
        lastIdOfEarlierRuns);
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
