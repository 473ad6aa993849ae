package io.promptway.runtime.gateway;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.config.RuntimeConfig;
import io.promptway.runtime.metering.Meter;
import io.promptway.runtime.observability.HealthCheck;
import io.promptway.runtime.observability.HealthService;
import io.promptway.runtime.observability.MetricsRegistry;
import io.promptway.runtime.observability.MetricsService;
import io.promptway.runtime.observability.RequestStateSweeper;
import io.promptway.runtime.observability.RuntimeMetrics;
import io.promptway.runtime.store.RequestStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The production side of the emulated API gateway, assembled from the runtime config: the filter in
 * front of every pattern (CORS, API keys, throttling, quotas, budgets, logs, metrics), the meter
 * and store wrappers that attribute cost to callers, the operational endpoints ({@code /health},
 * {@code /metrics}, {@code /openapi}) and the request-state TTL sweeper. The server wires it in one
 * place: {@link #meter()} and {@link #track} around the raw services, {@link #configure} on the
 * server builder, {@link #register} on the routing, {@link #start} once the server runs.
 */
public final class GatewayStack implements AutoCloseable {
  private final RuntimeConfig config;
  private final SimulatedClock clock;
  private final RuntimeMetrics metrics;
  private final AttributingMeter meter;
  private final GatewayFilter filter;
  private final ConnectionGate connections;
  private final TransportLimits transport;
  private final List<HealthCheck> checks;
  private final Map<String, Supplier<Object>> healthDetails;
  private RequestStateSweeper sweeper;

  private GatewayStack(
      RuntimeConfig config,
      SimulatedClock clock,
      RuntimeMetrics metrics,
      AttributingMeter meter,
      GatewayFilter filter,
      ConnectionGate connections,
      TransportLimits transport,
      List<HealthCheck> checks,
      Map<String, Supplier<Object>> healthDetails) {
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
    this.meter = meter;
    this.filter = filter;
    this.connections = connections;
    this.transport = transport;
    this.checks = new ArrayList<>(checks);
    this.healthDetails = healthDetails;
  }

  /**
   * @param checks readiness checks (e.g. the H2 database)
   * @param env the process environment, for API keys
   * @param requestIds ids for requests the gateway refuses itself, in the runtime's format
   */
  // Without a bound, a day's window held every request admitted in it: at thousands a second, the
  // heap filled within the hour.
  private static final int ATTRIBUTED_REQUESTS = 200_000;

  public static GatewayStack create(
      RuntimeConfig config,
      SimulatedClock clock,
      Meter rawMeter,
      List<HealthCheck> checks,
      Map<String, String> env,
      Supplier<String> requestIds) {
    RuntimeConfig.Gateway g = config.gateway();
    RuntimeMetrics metrics = new RuntimeMetrics(new MetricsRegistry(), clock.scale());
    BudgetLedger ledger = new BudgetLedger(clock::nanos);
    AttributingMeter meter =
        new AttributingMeter(rawMeter, ledger, metrics, clock::nanos, ATTRIBUTED_REQUESTS);
    ApiKeyRegistry keys = ApiKeyRegistry.from(g.apiKeys(), env, g.usagePlans().keySet());
    GatewayThrottle throttle =
        new GatewayThrottle(g.throttle(), g.usagePlans(), ledger, clock::nanos);
    for (RuntimeConfig.ApiKey k : g.apiKeys().keys()) throttle.checkPlan(k.name(), k.plan());
    GatewayFilter filter =
        new GatewayFilter(
            new CorsPolicy(g.cors()),
            keys,
            throttle,
            metrics,
            new GatewayLog(),
            g.dataTrace(),
            clock::nanos,
            requestIds,
            g.maxHeaderBytes());
    return new GatewayStack(
        config,
        clock,
        metrics,
        meter,
        filter,
        new ConnectionGate(keys, throttle, meter, metrics),
        new TransportLimits(metrics, requestIds),
        checks,
        new LinkedHashMap<>());
  }

  /**
   * Wraps the request store so requests are attributed to their callers, and sweeps it on {@code
   * state.cleanup_interval} once started.
   */
  public RequestStore track(RequestStore store) {
    sweeper = new RequestStateSweeper(store, clock, metrics);
    long window = Math.max(config.state().ttl().toNanos(), Duration.ofDays(1).toNanos());
    sweeper.alsoRun(() -> meter.forgetOlderThan(window));
    healthDetails.put("requests_stored", store::count);
    return new AttributingRequestStore(store, meter);
  }

  /** Adds a fixed entry to the health document (e.g. the patterns served). */
  public GatewayStack healthDetail(String key, Object value) {
    healthDetails.put(key, () -> value);
    return this;
  }

  /** Payload and header limits, and enveloped answers for what the server refuses by itself. */
  public void configure(WebServerConfig.Builder server) {
    transport.apply(server, config.gateway());
  }

  /** The gateway filter first, then the operational endpoints. */
  public void register(HttpRouting.Builder routing) {
    routing.addFilter(filter);
    routing.register(
        new HealthService(clock, checks, healthDetails),
        new MetricsService(metrics.registry()),
        new OpenApiService());
  }

  /** Starts the TTL sweeper. */
  public void start() {
    if (sweeper != null) sweeper.start(config.state().cleanupInterval());
  }

  /** The meter every billing service should use: it attributes cost to callers. */
  public AttributingMeter meter() {
    return meter;
  }

  /** The gateway for WebSocket connections: their caller, attribution and budget. */
  public ConnectionGate connections() {
    return connections;
  }

  public RuntimeMetrics metrics() {
    return metrics;
  }

  public GatewayThrottle throttle() {
    return filter.throttle();
  }

  public RequestStateSweeper sweeper() {
    return sweeper;
  }

  @Override
  public void close() {
    if (sweeper != null) sweeper.close();
  }
}
