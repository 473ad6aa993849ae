package io.promptway.runtime.observability;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.http.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /health} (readiness: every check, 503 when one is down), {@code GET /health/live}
 * (liveness: the process answers) and {@code GET /health/ready} (same as {@code /health}). Bodies
 * are plain JSON {@code {status, time_scale, uptime_seconds, checks}} so that load balancers and
 * scripts can read them without the envelope.
 */
public final class HealthService implements HttpService {
  private static final String VERSION = HealthService.class.getPackage().getImplementationVersion();

  private final SimulatedClock clock;
  private final List<HealthCheck> checks;
  private final Map<String, Supplier<Object>> details;

  /**
   * @param details entries added to every answer, read when asked (e.g. the patterns served, the
   *     number of stored requests); one that fails is left out
   */
  public HealthService(
      SimulatedClock clock, List<HealthCheck> checks, Map<String, Supplier<Object>> details) {
    this.clock = clock;
    this.checks = List.copyOf(checks);
    this.details = details;
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .get("/health", this::ready)
        .head("/health", this::readyStatus)
        .get("/health/ready", this::ready)
        .get("/health/live", this::live);
  }

  /** Runs every check and summarises. */
  public Map<String, Object> readiness() {
    Map<String, Object> results = new LinkedHashMap<>();
    boolean up = true;
    for (HealthCheck c : checks) {
      long start = System.nanoTime();
      HealthCheck.Result r = c.check();
      up &= r.up();
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("status", r.up() ? "up" : "down");
      one.put("detail", r.detail());
      one.put("latency_ms", Math.round((System.nanoTime() - start) / 1e4) / 100.0);
      results.put(c.name(), one);
    }
    Map<String, Object> body = base(up ? "up" : "down");
    body.put("checks", results);
    return body;
  }

  private void ready(ServerRequest req, ServerResponse res) {
    Map<String, Object> body = readiness();
    res.status("up".equals(body.get("status")) ? 200 : 503);
    send(res, body);
  }

  /** The readiness status code without a body, for probes that send HEAD. */
  private void readyStatus(ServerRequest req, ServerResponse res) {
    res.status("up".equals(readiness().get("status")) ? 200 : 503).send();
  }

  private void live(ServerRequest req, ServerResponse res) {
    send(res, base("up"));
  }

  private Map<String, Object> base(String status) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    body.put("time_scale", clock.scale());
    body.put("uptime_seconds", Math.round(clock.millis()) / 1000.0);
    body.put("simulated_now", clock.now().toString());
    if (VERSION != null)
      body.put("version", VERSION); // from the jar's manifest; none in a dev build
    details.forEach(
        (key, value) -> {
          try {
            body.put(key, value.get());
          } catch (RuntimeException e) {
            // a detail is informative only; the checks decide the status
          }
        });
    return body;
  }

  private static void send(ServerResponse res, Map<String, Object> body) {
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.send(Json.bytes(body));
  }
}
