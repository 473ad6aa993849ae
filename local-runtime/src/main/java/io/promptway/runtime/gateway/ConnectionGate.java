package io.promptway.runtime.gateway;

import io.helidon.http.Headers;
import io.promptway.runtime.http.ApiException;
import io.promptway.runtime.observability.RuntimeMetrics;
import java.util.Map;

/**
 * The gateway for what a WebSocket connection carries after its upgrade. The upgrade passes the
 * {@link GatewayFilter} like any request, but the connection bills under an id of its own
 * ($connect, connection-minutes, $disconnect) and each generation under a new request id, none of
 * which the filter sees. This names the caller the upgrade was admitted for, attributes those ids
 * to it (so they are charged to its daily budget and labelled with its name in the metrics) and
 * refuses a generation once that budget is spent.
 */
public final class ConnectionGate {
  private final ApiKeyRegistry keys;
  private final GatewayThrottle throttle;
  private final AttributingMeter meter;
  private final RuntimeMetrics metrics;

  public ConnectionGate(
      ApiKeyRegistry keys,
      GatewayThrottle throttle,
      AttributingMeter meter,
      RuntimeMetrics metrics) {
    this.keys = keys;
    this.throttle = throttle;
    this.meter = meter;
    this.metrics = metrics;
  }

  /**
   * The caller an upgrade with these request headers was admitted for: the filter has already
   * refused a missing or unknown key where one is needed, so a key here is a known one.
   */
  public ApiClient callerOf(Headers upgradeHeaders) {
    return upgradeHeaders
        .first(GatewayFilter.API_KEY)
        .flatMap(keys::lookup)
        .orElse(ApiClient.ANONYMOUS);
  }

  /** From now on, what is metered under {@code id} is the caller's. */
  public void attribute(String id, ApiClient caller) {
    meter.attribute(id, caller.name());
  }

  /**
   * Admits one more generation for the caller, or refuses it as the filter refuses a request: 429
   * BUDGET_EXCEEDED once the caller's daily budget is spent.
   */
  public void admitGeneration(ApiClient caller) {
    GatewayThrottle.Admission a = throttle.admitSpend(caller);
    if (a.admitted()) return;
    metrics.rejected("budget", caller.name());
    long retry = Math.max(1, GatewayFilter.ceilSeconds(a.retryAfterNanos()));
    throw new ApiException(
        429,
        "BUDGET_EXCEEDED",
        GatewayFilter.budgetSpent(retry),
        Map.of("retry_after_seconds", retry, "caller", caller.name()),
        Map.of("Retry-After", Long.toString(retry)),
        null);
  }
}
