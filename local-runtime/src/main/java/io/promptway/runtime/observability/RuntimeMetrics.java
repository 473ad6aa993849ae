package io.promptway.runtime.observability;

import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.metering.MeterRecord;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The runtime's named metrics on one {@link MetricsRegistry}: HTTP requests and latency by pattern,
 * route, status and caller; gateway rejections; tokens, billable units and cost from the meter;
 * request-state expiry; and the gauges other services register (queue depth, open streams and
 * sessions). Latencies are in simulated seconds, like every other time in the runtime.
 */
public final class RuntimeMetrics {
  static final double[] LATENCY_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 29, 60, 120, 300, 900
  };

  private final MetricsRegistry registry;
  private final MetricsRegistry.Counter requests;
  private final MetricsRegistry.Histogram latency;
  private final MetricsRegistry.Counter rejections;
  private final MetricsRegistry.Counter tokens;
  private final MetricsRegistry.Counter units;
  private final MetricsRegistry.Counter cost;
  private final MetricsRegistry.Counter expired;
  private final MetricsRegistry.Counter sweeps;
  private final ConcurrentHashMap<MeteredBy, MeteredSeries> metered = new ConcurrentHashMap<>();

  public RuntimeMetrics(MetricsRegistry registry, double timeScale) {
    this.registry = registry;
    requests =
        registry.counter(
            "promptway_http_requests_total",
            "HTTP requests answered, by pattern, route template, method, status and caller (API key name).",
            "pattern",
            "route",
            "method",
            "status",
            "caller");
    latency =
        registry.histogram(
            "promptway_http_request_duration_seconds",
            "Time from request to response headers, simulated seconds.",
            LATENCY_BUCKETS,
            "pattern",
            "route",
            "status");
    rejections =
        registry.counter(
            "promptway_gateway_rejections_total",
            "Requests the gateway refused before any pattern ran (not billed), by reason and caller.",
            "reason",
            "caller");
    tokens =
        registry.counter(
            "promptway_llm_tokens_total",
            "LLM tokens metered, by pattern, model, direction (input|output) and caller.",
            "pattern",
            "model",
            "direction",
            "caller");
    units =
        registry.counter(
            "promptway_billable_units_total",
            "Billable units metered, by pattern, unit and caller.",
            "pattern",
            "unit",
            "caller");
    cost =
        registry.counter(
            "promptway_cost_usd_total",
            "Metered cost in USD, by pattern, component, model and caller.",
            "pattern",
            "component",
            "model",
            "caller");
    expired =
        registry.counter(
            "promptway_state_expired_total", "Request-state rows deleted by the TTL sweeper.");
    sweeps =
        registry.counter(
            "promptway_state_sweeps_total",
            "TTL sweeps of the request state, by outcome.",
            "outcome");
    registry.gauge("promptway_time_scale", "Simulated seconds per real second.", () -> timeScale);
  }

  public MetricsRegistry registry() {
    return registry;
  }

  public void request(
      String pattern, String route, String method, int status, String caller, double seconds) {
    String code = Integer.toString(status);
    requests.inc(pattern, route, method, code, caller);
    latency.observe(seconds, pattern, route, code);
  }

  public void rejected(String reason, String caller) {
    rejections.inc(reason, caller);
  }

  /** Counts one meter record; {@code caller} is null when the request's caller is not known. */
  public void metered(MeterRecord r, String caller) {
    MeteredBy by = new MeteredBy(r.pattern(), r.unit(), r.model(), caller);
    MeteredSeries s = metered.get(by);
    if (s == null) s = metered.computeIfAbsent(by, MeteredSeries::new);
    s.units.add(r.quantity());
    if (r.usd() > 0) s.cost().add(r.usd());
    if (s.tokens != null) s.tokens.add(r.quantity());
  }

  /** What a meter record's series are chosen by. */
  private record MeteredBy(String pattern, BillableUnit unit, String model, String caller) {}

  /**
   * The series a meter record adds to, looked up once per label set: a request makes about eight
   * records, and naming each series anew (a list of its labels, hashed) was most of their cost. The
   * cost series appears with the first record that costs something, as before.
   */
  private final class MeteredSeries {
    final String pattern;
    final String component;
    final String model;
    final String who;
    final MetricsRegistry.Counter.Child units;
    final MetricsRegistry.Counter.Child tokens;
    private volatile MetricsRegistry.Counter.Child cost;

    MeteredSeries(MeteredBy by) {
      who = by.caller() == null ? "unknown" : by.caller();
      pattern = by.pattern() == null ? "" : by.pattern();
      model = by.model() == null ? "" : by.model();
      component = by.unit().component().label();
      units = RuntimeMetrics.this.units.labels(pattern, by.unit().label(), who);
      String direction =
          switch (by.unit()) {
            case LLM_INPUT_TOKEN -> "input";
            case LLM_OUTPUT_TOKEN -> "output";
            default -> null;
          };
      tokens =
          direction == null
              ? null
              : RuntimeMetrics.this.tokens.labels(pattern, model, direction, who);
    }

    MetricsRegistry.Counter.Child cost() {
      MetricsRegistry.Counter.Child c = cost;
      if (c == null) cost = c = RuntimeMetrics.this.cost.labels(pattern, component, model, who);
      return c;
    }
  }

  public void swept(int rows) {
    expired.add(rows);
    sweeps.inc("ok");
  }

  public void sweepFailed() {
    sweeps.inc("failed");
  }

  /** Messages waiting in a queue (called by the queue service or a pattern that owns one). */
  public void registerQueueDepth(String queue, LongSupplier depth) {
    registry.gauge(
        "promptway_queue_depth",
        "Messages waiting in a queue.",
        List.of("queue"),
        () -> Map.of(List.of(queue), (double) depth.getAsLong()));
  }

  /** Open server-sent-event streams of a pattern. */
  public void registerOpenStreams(String pattern, LongSupplier open) {
    registry.gauge(
        "promptway_open_streams",
        "Open streaming responses, by pattern.",
        List.of("pattern"),
        () -> Map.of(List.of(pattern), (double) open.getAsLong()));
  }

  /** Open WebSocket sessions (or other long-lived sessions) of a pattern. */
  public void registerOpenSessions(String pattern, LongSupplier open) {
    registry.gauge(
        "promptway_open_sessions",
        "Open long-lived sessions (WebSocket connections), by pattern.",
        List.of("pattern"),
        () -> Map.of(List.of(pattern), (double) open.getAsLong()));
  }

  /** Any other gauge a service wants to expose, without labels. */
  public void registerGauge(String name, String help, LongSupplier value) {
    registry.gauge(name, help, () -> (double) value.getAsLong());
  }
}
