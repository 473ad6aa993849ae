package io.promptway.runtime.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.metering.MeterRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MetricsRegistryTest {
  private final MetricsRegistry registry = new MetricsRegistry();
  private final RuntimeMetrics metrics = new RuntimeMetrics(registry, 10);

  @Test
  void scrapeIsStrictPrometheusTextWithEveryDimension() {
    metrics.request("sync", "/sync/generate", "POST", 200, "alice", 0.3);
    metrics.request("sync", "/sync/generate", "POST", 200, "alice", 12);
    metrics.request("sync", "/sync/generate", "POST", 429, "bob", 0.001);
    metrics.rejected("throttled", "bob");
    metrics.metered(
        new MeterRecord(
            "r1", "sync", BillableUnit.LLM_OUTPUT_TOKEN, "gpt-4o", 120, 0.0012, Instant.now()),
        "alice");
    metrics.metered(
        new MeterRecord(
            "r1", "sync", BillableUnit.REST_API_REQUEST, null, 1, 3.5e-6, Instant.now()),
        null);
    AtomicLong depth = new AtomicLong(7);
    metrics.registerQueueDepth("requests", depth::get);
    metrics.registerOpenStreams("sse", () -> 3);
    metrics.registerOpenStreams("hybrid", () -> 1);
    metrics.swept(4);

    var families = PrometheusTextParser.parse(registry.scrape());

    var requests = families.get("promptway_http_requests_total");
    assertEquals("counter", requests.type());
    assertEquals(
        2,
        requests.value(
            "promptway_http_requests_total",
            Map.of(
                "pattern",
                "sync",
                "route",
                "/sync/generate",
                "method",
                "POST",
                "status",
                "200",
                "caller",
                "alice")));
    var latency = families.get("promptway_http_request_duration_seconds");
    assertEquals("histogram", latency.type());
    var labels = Map.of("pattern", "sync", "route", "/sync/generate", "status", "200");
    assertEquals(2, latency.value("promptway_http_request_duration_seconds_count", labels));
    assertEquals(12.3, latency.value("promptway_http_request_duration_seconds_sum", labels), 1e-9);
    assertEquals(
        1,
        latency.sum(
            "promptway_http_request_duration_seconds_bucket",
            Map.of("pattern", "sync", "status", "200", "le", "0.5")));
    assertEquals(
        120,
        families
            .get("promptway_llm_tokens_total")
            .value(
                "promptway_llm_tokens_total",
                Map.of(
                    "pattern",
                    "sync",
                    "model",
                    "gpt-4o",
                    "direction",
                    "output",
                    "caller",
                    "alice")));
    assertEquals(
        0.0012,
        families
            .get("promptway_cost_usd_total")
            .sum("promptway_cost_usd_total", Map.of("component", "llm", "caller", "alice")),
        1e-12);
    assertEquals(
        1,
        families
            .get("promptway_gateway_rejections_total")
            .sum("promptway_gateway_rejections_total", Map.of("reason", "throttled")));
    assertEquals(
        7,
        families
            .get("promptway_queue_depth")
            .value("promptway_queue_depth", Map.of("queue", "requests")));
    assertEquals(4, families.get("promptway_open_streams").sum("promptway_open_streams", Map.of()));
    assertEquals(
        4,
        families
            .get("promptway_state_expired_total")
            .value("promptway_state_expired_total", Map.of()));
    assertEquals(10, families.get("promptway_time_scale").value("promptway_time_scale", Map.of()));
    depth.set(2);
    assertEquals(
        2,
        PrometheusTextParser.parse(registry.scrape())
            .get("promptway_queue_depth")
            .value("promptway_queue_depth", Map.of("queue", "requests")),
        "gauges are read at scrape time");
  }

  @Test
  void meterRecordsOfOneLabelSetAddUpAndAFreeUnitGetsACostSeriesOnlyOnceItCosts() {
    for (int i = 0; i < 3; i++) {
      metrics.metered(
          new MeterRecord(
              "r" + i, "sync", BillableUnit.STATE_WRITE_UNIT, null, 2, 0, Instant.now()),
          "alice");
    }
    var families = PrometheusTextParser.parse(registry.scrape());
    assertEquals(
        6,
        families
            .get("promptway_billable_units_total")
            .sum("promptway_billable_units_total", Map.of("unit", "state_write_unit")));
    var costs = families.get("promptway_cost_usd_total");
    assertTrue(costs == null || costs.samples().isEmpty(), "no cost series for free units");

    metrics.metered(
        new MeterRecord("r3", "sync", BillableUnit.STATE_WRITE_UNIT, null, 1, 1.25e-6, null),
        "alice");
    metrics.metered(
        new MeterRecord("r4", "sync", BillableUnit.STATE_WRITE_UNIT, null, 1, 1.25e-6, null),
        "alice");
    families = PrometheusTextParser.parse(registry.scrape());
    assertEquals(
        2.5e-6,
        families
            .get("promptway_cost_usd_total")
            .value(
                "promptway_cost_usd_total",
                Map.of("pattern", "sync", "component", "state", "model", "", "caller", "alice")),
        1e-15);
    assertEquals(
        8,
        families
            .get("promptway_billable_units_total")
            .sum("promptway_billable_units_total", Map.of("caller", "alice")));
  }

  @Test
  void aCounterRefusesToGoDownAndARefusedAddLeavesNoSeries() {
    var c = registry.counter("refused_total", "refusals", "v");
    assertThrows(IllegalArgumentException.class, () -> c.add(-1, "a"));
    assertThrows(IllegalArgumentException.class, () -> c.add(Double.NaN, "a"));
    assertThrows(IllegalArgumentException.class, () -> c.labels("b").add(-0.5));
    c.labels("b").add(2);

    var refused = PrometheusTextParser.parse(registry.scrape()).get("refused_total");
    assertEquals(1, refused.samples().size(), "only the series that was added to");
    assertEquals(2, refused.value("refused_total", Map.of("v", "b")));
  }

  @Test
  void labelValuesAreEscaped() {
    var c = registry.counter("odd_total", "odd labels", "v");
    c.inc("quote\" backslash\\ newline\n end");
    var parsed = PrometheusTextParser.parse(registry.scrape());
    assertEquals(
        1,
        parsed
            .get("odd_total")
            .value("odd_total", Map.of("v", "quote\" backslash\\ newline\n end")));
  }

  @Test
  void theParserRejectsWhatPrometheusWouldReject() {
    assertThrows(IllegalArgumentException.class, () -> PrometheusTextParser.parse("x_total 1\n"));
    assertThrows(
        IllegalArgumentException.class,
        () -> PrometheusTextParser.parse("# TYPE x counter\nx{a=\"1\"} 1\nx{a=\"1\"} 2\n"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            PrometheusTextParser.parse(
                "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n"));
    assertThrows(
        IllegalArgumentException.class,
        () -> PrometheusTextParser.parse("# TYPE x counter\nx{a=1} 1\n"));
  }

  @Test
  void aFailingGaugeDoesNotBreakTheScrape() {
    registry.gauge(
        "broken",
        "throws",
        List.of(),
        () -> {
          throw new IllegalStateException("down");
        });
    assertTrue(PrometheusTextParser.parse(registry.scrape()).containsKey("broken"));
  }

  @Test
  void registeringTheSameNameDifferentlyFails() {
    registry.counter("same_total", "a", "x");
    assertThrows(IllegalArgumentException.class, () -> registry.counter("same_total", "a", "y"));
  }
}
