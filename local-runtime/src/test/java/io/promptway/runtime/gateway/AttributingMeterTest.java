package io.promptway.runtime.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.db.Database;
import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.metering.JdbcMeter;
import io.promptway.runtime.metering.PriceTable;
import io.promptway.runtime.observability.MetricsRegistry;
import io.promptway.runtime.observability.RuntimeMetrics;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AttributingMeterTest {
  private final AtomicLong nanos = new AtomicLong();

  // Attribution alone never reaches the meter it wraps.
  private AttributingMeter meter(int limit) {
    return new AttributingMeter(
        null,
        new BudgetLedger(nanos::get),
        new RuntimeMetrics(new MetricsRegistry(), 1),
        nanos::get,
        limit);
  }

  @Test
  void keepsTheCallersOfTheLatestRequestsUpToItsLimit() {
    AttributingMeter meter = meter(2);
    meter.attribute("req_1", "mobile-app");
    meter.attribute("req_2", "web");
    meter.attribute("req_3", "batch");

    assertNull(meter.callerOf("req_1"), "the earliest admitted is forgotten");
    assertEquals("web", meter.callerOf("req_2"));
    assertEquals("batch", meter.callerOf("req_3"));
    assertEquals(2, meter.attributions());
  }

  @Test
  void aQueuesOwnPollingIsThePlatformsNotAnUnknownCallers() {
    RuntimeMetrics metrics = new RuntimeMetrics(new MetricsRegistry(), 1);
    try (Database db = new Database("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        JdbcMeter raw = new JdbcMeter(db, PriceTable.shipped(), SimulatedClock.realTime())) {
      AttributingMeter meter =
          new AttributingMeter(raw, new BudgetLedger(nanos::get), metrics, nanos::get, 10);
      meter.record("queue:async-requests", "async", BillableUnit.QUEUE_REQUEST, null, 1);
      meter.record("req_forgotten", "async", BillableUnit.QUEUE_REQUEST, null, 1);
    }

    String text = metrics.registry().scrape();
    assertTrue(text.contains("caller=\"platform\""), text);
    assertEquals(
        1,
        text.lines()
            .filter(
                l ->
                    l.startsWith("promptway_billable_units_total")
                        && l.contains("caller=\"unknown\""))
            .count(),
        text);
  }

  @Test
  void forgetsCallersOlderThanTheWindow() {
    AttributingMeter meter = meter(10);
    meter.attribute("req_old", "web");
    nanos.addAndGet(5_000);
    meter.attribute("req_new", "web");

    assertEquals(1, meter.forgetOlderThan(1_000));
    assertNull(meter.callerOf("req_old"));
    assertEquals("web", meter.callerOf("req_new"));
  }
}
