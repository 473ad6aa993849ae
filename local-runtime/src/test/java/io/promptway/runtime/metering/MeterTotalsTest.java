package io.promptway.runtime.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MeterTotalsTest {
  private static Database memoryDb() {
    return new Database("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  }

  private static JdbcMeter meter(Database db) {
    return new JdbcMeter(db, PriceTable.shipped(), SimulatedClock.realTime());
  }

  @Test
  void aRequestIsCountedOncePerUnitHoweverManyRecordsItHas() {
    try (Database db = memoryDb();
        JdbcMeter meter = meter(db)) {
      for (int i = 0; i < 3; i++) meter.record("req_a", "sync", BillableUnit.STATE_WRITE_UNIT, 1);
      meter.record("req_b", "sync", BillableUnit.STATE_WRITE_UNIT, 2);
      Meter.UsageTotal writes = only(meter.totals(), "sync", BillableUnit.STATE_WRITE_UNIT);
      assertEquals(5, writes.quantity());
      assertEquals(2, writes.requests());
    }
  }

  // Each request remembers which totals it is counted in, one bit per total; past 64 totals the
  // bits of every recent request are widened, and none may be lost on the way.
  @Test
  void aRequestIsCountedOncePerTotalBeyondTheFirstSixtyFourTotals() {
    try (Database db = memoryDb();
        JdbcMeter meter = meter(db)) {
      for (int pass = 0; pass < 2; pass++) {
        for (String id : List.of("req_a", "req_b")) {
          for (int p = 0; p < 100; p++) {
            meter.record(id, "pattern-" + p, BillableUnit.STATE_WRITE_UNIT, 1);
          }
        }
      }
      List<Meter.UsageTotal> totals = meter.totals();
      assertEquals(100, totals.size());
      for (Meter.UsageTotal t : totals) {
        assertEquals(4, t.quantity(), t.pattern());
        assertEquals(2, t.requests(), t.pattern());
      }
      double perWrite = PriceTable.shipped().price(BillableUnit.STATE_WRITE_UNIT, null, 1);
      CostBreakdown a = meter.cost("req_a");
      assertEquals(200 * perWrite, a.totalUsd(), 1e-12);
      assertEquals(200 * perWrite, a.byComponent().get("state"), 1e-12);
    }
  }

  @Test
  void totalsCarryOverARestartOnTheSameDatabase() {
    try (Database db = memoryDb()) {
      try (JdbcMeter first = meter(db)) {
        first.record("req_a", "sync", BillableUnit.REST_API_REQUEST, 1);
        first.record("req_b", "sse", BillableUnit.REST_API_REQUEST, 1);
      }
      try (JdbcMeter second = meter(db)) {
        second.record("req_c", "sync", BillableUnit.REST_API_REQUEST, 1);
        Meter.UsageTotal sync = only(second.totals(), "sync", BillableUnit.REST_API_REQUEST);
        assertEquals(2, sync.quantity());
        assertEquals(2, sync.requests());
        assertEquals(1, only(second.totals(), "sse", BillableUnit.REST_API_REQUEST).requests());
      }
    }
  }

  @Test
  void runningTotalsAgreeWithTheRowsWrittenUnderConcurrentRecording() throws Exception {
    try (Database db = memoryDb();
        JdbcMeter meter = meter(db)) {
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int id = t;
        threads.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      for (int i = 0; i < 500; i++) {
                        String request = "req_" + id + "_" + (i % 50);
                        meter.record(request, "sync", BillableUnit.STATE_WRITE_UNIT, 1);
                        meter.record(
                            request, "async", BillableUnit.LLM_OUTPUT_TOKEN, "gpt-4o-mini", i);
                      }
                    }));
      }
      for (Thread t : threads) t.join();
      Map<String, double[]> fromRows = new HashMap<>(); // quantity, usd, requests
      for (int t = 0; t < 8; t++) {
        for (int k = 0; k < 50; k++) {
          Set<String> counted = new HashSet<>();
          for (MeterRecord r : meter.records("req_" + t + "_" + k)) {
            double[] sums =
                fromRows.computeIfAbsent(r.pattern() + "/" + r.unit(), x -> new double[3]);
            sums[0] += r.quantity();
            sums[1] += r.usd();
            if (counted.add(r.pattern() + "/" + r.unit())) sums[2]++;
          }
        }
      }
      assertEquals(2, fromRows.size());
      for (Meter.UsageTotal t : meter.totals()) {
        double[] sums = fromRows.get(t.pattern() + "/" + t.unit());
        assertEquals(sums[0], t.quantity(), 1e-6, t.toString());
        assertEquals(sums[1], t.usd(), 1e-12, t.toString());
        assertEquals((long) sums[2], t.requests(), t.toString());
      }
      assertEquals(400, only(meter.totals(), "sync", BillableUnit.STATE_WRITE_UNIT).requests());
    }
  }

  @Test
  void aRecentRequestsCostInMemoryIsTheSumOfItsRows() {
    try (Database db = memoryDb();
        JdbcMeter meter = meter(db);
        JdbcMeter restarted = meter(db)) {
      meter.record("req_a", "sync", BillableUnit.REST_API_REQUEST, 1);
      meter.record("req_a", "sync", BillableUnit.FUNCTION_GB_SECOND, 0.125);
      meter.record("req_a", "sync", BillableUnit.STATE_WRITE_UNIT, 3);
      meter.record("req_a", "sync", BillableUnit.LLM_INPUT_TOKEN, "gpt-4o-mini", 1200);
      meter.record("req_a", "sync", BillableUnit.LLM_OUTPUT_TOKEN, "gpt-4o-mini", 300);
      meter.record("req_b", "sync", BillableUnit.REST_API_REQUEST, 1);

      CostBreakdown fromMemory = meter.cost("req_a");
      CostBreakdown fromRows = CostBreakdown.of(meter.records("req_a"));
      assertEquals(fromRows, fromMemory);
      assertEquals(
          List.of("gateway", "function", "state", "llm"),
          List.copyOf(fromMemory.byComponent().keySet()));
      // a meter that did not record req_a (as after a restart) reads the same from the table
      assertEquals(fromRows, restarted.cost("req_a"));
    }
  }

  @Test
  void recordsOfTheFirstSchemaVersionReadTheSameAfterTheUpgrade() throws Exception {
    try (Database db = memoryDb()) {
      try (Connection c = db.connection();
          Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE meter_records (id BIGINT AUTO_INCREMENT PRIMARY KEY, request_id VARCHAR(64) NOT NULL, "
                + "pattern VARCHAR(32), unit VARCHAR(48) NOT NULL, component VARCHAR(16) NOT NULL, "
                + "model VARCHAR(128), quantity DOUBLE PRECISION NOT NULL, usd DOUBLE PRECISION NOT NULL, "
                + "recorded_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        s.execute(
            "MERGE INTO schema_versions KEY (component) VALUES ('metering', 1, CURRENT_TIMESTAMP)");
      }
      List<MeterRecord> old =
          List.of(
              new MeterRecord(
                  "req_old",
                  "sync",
                  BillableUnit.LLM_INPUT_TOKEN,
                  "odd\\model\twith\nbreaks",
                  1234,
                  0.000185,
                  Instant.parse("2026-11-01T10:15:30.123456Z")), // the old column kept microseconds
              new MeterRecord(
                  "req_old",
                  null,
                  BillableUnit.REST_API_REQUEST,
                  null,
                  1,
                  3.5e-6,
                  Instant.parse("2026-11-01T10:15:31Z")),
              new MeterRecord(
                  "req_other",
                  "sse",
                  BillableUnit.FUNCTION_GB_SECOND,
                  null,
                  0.125,
                  2.0833e-6,
                  Instant.parse("1999-12-31T23:59:59.5Z")));
      try (Connection c = db.connection();
          PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO meter_records (request_id, pattern, unit, component, model, quantity, usd, recorded_at) "
                      + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (MeterRecord r : old) {
          ps.setString(1, r.requestId());
          ps.setString(2, r.pattern());
          ps.setString(3, r.unit().name());
          ps.setString(4, r.component().label());
          ps.setString(5, r.model());
          ps.setDouble(6, r.quantity());
          ps.setDouble(7, r.usd());
          ps.setObject(8, r.recordedAt().atOffset(ZoneOffset.ofHours(2)));
          ps.executeUpdate();
        }
      }
      try (JdbcMeter upgraded = meter(db)) {
        assertEquals(old.subList(0, 2), upgraded.records("req_old"));
        assertEquals(old.subList(2, 3), upgraded.records("req_other"));
        upgraded.record("req_new", "sse", BillableUnit.FUNCTION_GB_SECOND, 0.25);
        Meter.UsageTotal gbSeconds =
            only(upgraded.totals(), "sse", BillableUnit.FUNCTION_GB_SECOND);
        assertEquals(0.375, gbSeconds.quantity());
        assertEquals(2, gbSeconds.requests());
      }
    }
  }

  private static Meter.UsageTotal only(
      List<Meter.UsageTotal> totals, String pattern, BillableUnit u) {
    return totals.stream()
        .filter(t -> pattern.equals(t.pattern()) && t.unit() == u)
        .reduce(
            (a, b) -> {
              throw new AssertionError("two totals for " + pattern + " " + u);
            })
        .orElseThrow();
  }
}
