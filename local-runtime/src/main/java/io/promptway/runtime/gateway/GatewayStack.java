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
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The emulated API gateway assembled from the runtime config: the filter in front of every pattern,
 * the meter that attributes cost to callers, the metrics registry, the operational endpoints
 * ({@code /health}, {@code /metrics}, {@code /openapi}) and the request-state TTL sweeper. The
 * server wires it in one place: {@link #configure} on the server builder, {@link #register} on the
 * routing, and {@link #meter()} in place of the raw meter for everything that bills.
 */
public final class GatewayStack implements AutoCloseable {
  private final RuntimeConfig config;
  private final SimulatedClock clock;
  private final RuntimeMetrics metrics;
  private final AttributingMeter meter;
  private final GatewayFilter filter;
  private final HealthService health;
  private final RequestStateSweeper sweeper;

  private GatewayStack(
      RuntimeConfig config,
      SimulatedClock clock,
      RuntimeMetrics metrics,
      AttributingMeter meter,
      GatewayFilter filter,
      HealthService health,
      RequestStateSweeper sweeper) {
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
    this.meter = meter;
    this.filter = filter;
    this.health = health;
    this.sweeper = sweeper;
  }

  /**
   * @param store request state, swept on {@code state.cleanup_interval}; null for none
   * @param checks readiness checks (e.g. the H2 database)
   * @param env the process environment, for API keys
   * @param requestIds new request ids, in the runtime's id format
   */
  public static GatewayStack create(
      RuntimeConfig config,
      SimulatedClock clock,
      Meter rawMeter,
      RequestStore store,
      List<HealthCheck> checks,
      Map<String, String> env,
      Supplier<String> requestIds) {
    RuntimeConfig.Gateway g = config.gateway();
    RuntimeMetrics metrics = new RuntimeMetrics(new MetricsRegistry(), clock.scale());
    BudgetLedger ledger = new BudgetLedger(clock::nanos);
    AttributingMeter meter = new AttributingMeter(rawMeter, ledger, metrics, clock::nanos);
    ApiKeyRegistry keys = ApiKeyRegistry.from(g.apiKeys(), env);
    GatewayThrottle throttle = new GatewayThrottle(g.throttle(), g.usagePlans(), ledger, clock::nanos);
    for (RuntimeConfig.ApiKey k : g.apiKeys().keys()) throttle.checkPlan(blankToNull(k.plan()), k.name());
    GatewayFilter filter =
        new GatewayFilter(
            new CorsPolicy(g.cors()), keys, throttle, meter, metrics, new GatewayLog(), g.dataTrace(), clock::nanos, requestIds);
    RequestStateSweeper sweeper = null;
    if (store != null) {
      sweeper = new RequestStateSweeper(store, clock, metrics);
      long window = Math.max(config.state().ttl().toNanos(), Duration.ofDays(1).toNanos());
      sweeper.alsoRun(() -> meter.forgetOlderThan(window));
    }
    HealthService health = new HealthService(clock, checks, GatewayStack.class.getPackage().getImplementationVersion());
    return new GatewayStack(config, clock, metrics, meter, filter, health, sweeper);
  }

  /** Payload and header limits, and enveloped answers for what the server refuses by itself. */
  public void configure(WebServerConfig.Builder server) {
    TransportLimits.apply(server, config.gateway());
  }

  /** The gateway filter first, then the operational endpoints. */
  public void register(HttpRouting.Builder routing) {
    routing.addFilter(filter);
    routing.register(health, new MetricsService(metrics.registry()), new OpenApiService());
  }

  /** Starts the TTL sweeper. */
  public void start() {
    if (sweeper != null) sweeper.start(config.state().cleanupInterval());
  }

  public AttributingMeter meter() {
    return meter;
  }

  public RuntimeMetrics metrics() {
    return metrics;
  }

  public GatewayThrottle throttle() {
    return filter.throttle();
  }

  public SimulatedClock clock() {
    return clock;
  }

  @Override
  public void close() {
    if (sweeper != null) sweeper.close();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
