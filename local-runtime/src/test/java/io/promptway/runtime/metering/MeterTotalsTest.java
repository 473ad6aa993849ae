package io.promptway.runtime.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
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
      meter.records("flush"); // waits for the write-behind queue
      for (Meter.UsageTotal t : meter.totals()) {
        try (Connection c = db.connection();
            PreparedStatement ps =
                c.prepareStatement(
                    "SELECT SUM(quantity), SUM(usd), COUNT(DISTINCT request_id) FROM meter_records "
                        + "WHERE pattern = ? AND unit = ?")) {
          ps.setString(1, t.pattern());
          ps.setString(2, t.unit().name());
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertEquals(rs.getDouble(1), t.quantity(), 1e-6, t.toString());
            assertEquals(rs.getDouble(2), t.usd(), 1e-12, t.toString());
            assertEquals(rs.getLong(3), t.requests(), t.toString());
          }
        }
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

  private static Meter.UsageTotal only(
      List<Meter.UsageTotal> totals, String pattern, BillableUnit u) {
    return totals.stream()
        .filter(t -> t.pattern().equals(pattern) && t.unit() == u)
        .reduce(
            (a, b) -> {
              throw new AssertionError("two totals for " + pattern + " " + u);
            })
        .orElseThrow();
  }
}
