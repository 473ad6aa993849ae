package io.promptway.runtime.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.config.RuntimeConfig;
import io.promptway.runtime.db.Database;
import io.promptway.runtime.function.FunctionRuntime;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Costs checked against figures worked out by hand from prices.yaml. */
class MeteringArithmeticTest {
  private static final double EPS = 1e-15;

  private final Database db =
      new Database("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  private final JdbcMeter meter =
      new JdbcMeter(db, PriceTable.shipped(), SimulatedClock.realTime());

  @AfterEach
  void close() {
    meter.close();
    db.close();
  }

  @Test
  void pricesPerUnitMatchThePublishedTable() {
    PriceTable p = PriceTable.shipped();
    assertEquals(3.50 / 1e6, p.usdPerUnit(BillableUnit.REST_API_REQUEST, null), EPS);
    assertEquals(1.00 / 1e6, p.usdPerUnit(BillableUnit.HTTP_API_REQUEST, null), EPS);
    assertEquals(0.20 / 1e6, p.usdPerUnit(BillableUnit.FUNCTION_REQUEST, null), EPS);
    assertEquals(0.0000166667, p.usdPerUnit(BillableUnit.FUNCTION_GB_SECOND, null), EPS);
    assertEquals(0.40 / 1e6, p.usdPerUnit(BillableUnit.QUEUE_REQUEST, null), EPS);
    assertEquals(0.625 / 1e6, p.usdPerUnit(BillableUnit.STATE_WRITE_UNIT, null), EPS);
    assertEquals(2.50 / 1e6, p.usdPerUnit(BillableUnit.LLM_INPUT_TOKEN, "gpt-4o"), EPS);
    assertEquals(10.00 / 1e6, p.usdPerUnit(BillableUnit.LLM_OUTPUT_TOKEN, "gpt-4o"), EPS);
    assertEquals("2026-08-21", p.asOf());
  }

  @Test
  void aSyncRequestCostsWhatTheHandComputationSays() {
    // 1 REST request, a 1,024 MB function running 2.5 s, 2 write units, gpt-4o with 1,000 in / 500
    // out:
    //   3.50/1e6 + 0.20/1e6 + 2.5 GB-s * 0.0000166667 + 2 * 0.625/1e6 + 1000*2.50/1e6 + 500*10/1e6
    double expected = 3.5e-6 + 0.2e-6 + 2.5 * 0.0000166667 + 1.25e-6 + 0.0025 + 0.005;
    String id = "req_hand";
    meter.record(id, "sync", BillableUnit.REST_API_REQUEST, 1);
    meter.record(id, "sync", BillableUnit.FUNCTION_REQUEST, 1);
    meter.record(id, "sync", BillableUnit.FUNCTION_GB_SECOND, 2.5);
    meter.record(id, "sync", BillableUnit.STATE_WRITE_UNIT, 2);
    meter.record(id, "sync", BillableUnit.LLM_INPUT_TOKEN, "gpt-4o", 1000);
    meter.record(id, "sync", BillableUnit.LLM_OUTPUT_TOKEN, "gpt-4o", 500);
    CostBreakdown cost = meter.cost(id);
    assertEquals(expected, cost.totalUsd(), 1e-12);
    assertEquals(0.0075, cost.byComponent().get("llm"), 1e-12);
    assertEquals(3.5e-6, cost.byComponent().get("gateway"), 1e-15);
    assertEquals(0.2e-6 + 2.5 * 0.0000166667, cost.byComponent().get("function"), 1e-15);
    // the database copy agrees with the in-memory one
    assertEquals(expected, CostBreakdown.of(meter.records(id)).totalUsd(), 1e-12);
  }

  @Test
  void functionDurationIsBilledPerStartedMillisecondTimesMemory() {
    RuntimeConfig.Function config = new RuntimeConfig.Function(512, Duration.ofSeconds(900), 10);
    try (FunctionRuntime functions =
        new FunctionRuntime(SimulatedClock.realTime(), meter, config)) {
      functions.bill("req_f", "sync", Duration.ofNanos(1_000_001)); // 1.000001 ms -> 2 ms
      var gbs =
          meter.records("req_f").stream()
              .filter(r -> r.unit() == BillableUnit.FUNCTION_GB_SECOND)
              .findFirst()
              .orElseThrow();
      assertEquals(0.002 * 0.5, gbs.quantity(), 1e-12);
      assertEquals(0.002 * 0.5 * 0.0000166667, gbs.usd(), 1e-18);
      functions.bill("req_g", "sync", Duration.ofSeconds(2000)); // capped at the 900 s maximum
      var capped =
          meter.records("req_g").stream()
              .filter(r -> r.unit() == BillableUnit.FUNCTION_GB_SECOND)
              .findFirst()
              .orElseThrow();
      assertEquals(900 * 0.5, capped.quantity(), 1e-9);
    }
  }

  @Test
  void totalsSumEveryRecordPerPatternAndUnit() {
    for (int i = 0; i < 10; i++) meter.record("r" + i, "sync", BillableUnit.REST_API_REQUEST, 1);
    meter.record("x", "sse", BillableUnit.REST_API_REQUEST, 1);
    var sync =
        meter.totals().stream().filter(t -> t.pattern().equals("sync")).findFirst().orElseThrow();
    assertEquals(10, sync.quantity());
    assertEquals(10, sync.requests());
    assertEquals(35e-6, sync.usd(), 1e-15);
  }

  @Test
  void overridesReplaceShippedPrices() {
    PriceTable p =
        PriceTable.load(
            Map.of("units", Map.of("function.gb_second", Map.of("usd", 0.00001, "per", 1))));
    assertEquals(0.00001, p.usdPerUnit(BillableUnit.FUNCTION_GB_SECOND, null), EPS);
    assertThrows(
        IllegalArgumentException.class,
        () -> p.usdPerUnit(BillableUnit.LLM_INPUT_TOKEN, "no-such-model"));
  }
}
