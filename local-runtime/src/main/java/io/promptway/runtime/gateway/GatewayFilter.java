package io.promptway.runtime.gateway;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.promptway.runtime.config.RuntimeConfig;
import io.promptway.runtime.http.ApiException;
import io.promptway.runtime.http.ModelCallHeaders;
import io.promptway.runtime.observability.RuntimeMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The API gateway in front of every pattern, as one Helidon filter: CORS (preflights answered
 * here), API-key authentication, throttling, quotas and budgets for pattern routes; a request id
 * and the caller left in the request context; rate-limit and CORS headers on the answer; the access
 * log, the data-trace log and request metrics for every route. Refusals are {@link ApiException}s,
 * so they reach the client in the one error envelope and are never billed.
 *
 * <p>Pattern routes are the paths under {@link #GATED_PREFIXES}; the emulated LLM provider and the
 * runtime's own endpoints (health, metrics, OpenAPI, metering) are logged and measured, not gated.
 */
public final class GatewayFilter implements Filter {
  public static final List<String> GATED_PREFIXES =
      List.of("/sync/", "/sse/", "/ws/", "/async/", "/events/", "/generate", "/requests/");
  public static final HeaderName API_KEY = HeaderNames.create("x-api-key");
  public static final HeaderName REQUEST_ID = HeaderNames.create("X-Request-Id");
  private static final HeaderName PATTERN = HeaderNames.create("X-Pattern");
  private static final HeaderName REQUEST_METHOD =
      HeaderNames.create("Access-Control-Request-Method");
  private static final HeaderName REQUEST_HEADERS =
      HeaderNames.create("Access-Control-Request-Headers");

  private final CorsPolicy cors;
  private final ApiKeyRegistry keys;
  private final GatewayThrottle throttle;
  private final RuntimeMetrics metrics;
  private final GatewayLog log;
  private final RuntimeConfig.DataTrace dataTrace;
  private final Redactor redactor;
  private final LongSupplier nanos;
  private final Supplier<String> requestIds;
  private final int maxHeaderBytes;

  public GatewayFilter(
      CorsPolicy cors,
      ApiKeyRegistry keys,
      GatewayThrottle throttle,
      RuntimeMetrics metrics,
      GatewayLog log,
      RuntimeConfig.DataTrace dataTrace,
      LongSupplier nanos,
      Supplier<String> requestIds,
      int maxHeaderBytes) {
    this.cors = cors;
    this.keys = keys;
    this.throttle = throttle;
    this.metrics = metrics;
    this.log = log;
    this.dataTrace = dataTrace;
    this.redactor = new Redactor(dataTrace.promptChars(), dataTrace.maxBodyChars());
    this.nanos = nanos;
    this.requestIds = requestIds;
    this.maxHeaderBytes = maxHeaderBytes;
  }

  public GatewayThrottle throttle() {
    return throttle;
  }

  public static boolean gated(String path) {
    for (String prefix : GATED_PREFIXES) {
      if (path.startsWith(prefix) || (prefix.equals("/generate") && path.equals(prefix)))
        return true;
    }
    return false;
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    Exchange x = new Exchange(req, nanos.getAsLong(), requestIds.get());
    res.whenSent(() -> finished(x, req, res));
    String origin = req.headers().first(HeaderNames.ORIGIN).orElse(null);
    if (cors.enabled() && origin != null) {
      String asked = req.headers().first(REQUEST_METHOD).orElse(null);
      if (CorsPolicy.isPreflight(x.method, origin, asked)) {
        preflight(x, req, res, origin, asked);
        return;
      }
      cors.responseHeaders(origin).forEach(x.headers::put);
    }
    res.beforeSend(
        () -> {
          x.headers.forEach((k, v) -> res.headers().set(HeaderNames.create(k), v));
          // the id the access log names, on answers no pattern stamped (errors, runtime routes)
          res.headers().setIfAbsent(HeaderValues.create(REQUEST_ID, x.requestId));
        });
    if (headerBytes(req) > maxHeaderBytes) {
      throw refuse(
          x,
          "headers_too_large",
          431,
          "HEADERS_TOO_LARGE",
          "request headers exceed " + maxHeaderBytes + " bytes",
          Map.of("limit_bytes", maxHeaderBytes));
    }
    boolean gated = gated(x.path);
    if (gated) admit(x, req);
    // a function calling the model on a request's behalf is the platform, not an anonymous caller
    else if (req.headers().contains(ModelCallHeaders.REQUEST_ID)) x.caller = ApiClient.PLATFORM;
    req.context().register(new GatewayContext(x.requestId, x.caller, x.startNanos));
    if (dataTrace.enabled() && gated) {
      int limit = dataTrace.maxBodyChars() * 4;
      x.requestBody = new BodyCapture(limit);
      x.responseBody = new BodyCapture(limit);
      res.streamFilter(x.responseBody::tee);
    }
    BodyCapture capture = x.requestBody;
    req.streamFilter(in -> new TransportSafeInputStream(capture == null ? in : capture.tee(in)));
    chain.proceed();
  }

  private void admit(Exchange x, RoutingRequest req) {
    String key = req.headers().first(API_KEY).orElse(null);
    if (key != null && !key.isEmpty()) {
      var client = keys.lookup(key);
      if (client.isEmpty())
        throw refuse(
            x,
            "forbidden",
            403,
            "INVALID_API_KEY",
            "the x-api-key header does not hold a valid API key",
            Map.of());
      x.caller = client.get();
    } else if (keys.required()) {
      throw refuse(
          x,
          "forbidden",
          403,
          "MISSING_API_KEY",
          "this API requires an API key in the x-api-key header",
          Map.of());
    }
    GatewayThrottle.Admission a = throttle.admit(x.caller, x.api);
    if (a.limited()) {
      // Limit is the bucket's size, so Remaining (tokens left in it) never exceeds it
      x.headers.put("X-RateLimit-Limit", Integer.toString(a.burst()));
      x.headers.put("X-RateLimit-Remaining", Integer.toString(a.remaining()));
      x.headers.put("X-RateLimit-Reset", Long.toString(ceilSeconds(a.resetNanos())));
    }
    if (!a.admitted()) {
      long retry = Math.max(1, ceilSeconds(a.retryAfterNanos()));
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Retry-After", Long.toString(retry));
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("retry_after_seconds", retry);
      details.put("caller", x.caller.name());
      throw switch (a.refusedFor()) {
        case THROTTLED -> {
          details.put("limit_rps", a.steadyRps());
          details.put("burst", a.burst());
          yield refuse(
              x,
              "throttled",
              429,
              "THROTTLED",
              "too many requests: the rate limit of "
                  + format(a.steadyRps())
                  + " requests/s (simulated, burst "
                  + a.burst()
                  + ") is exhausted; retry after "
                  + retry
                  + " s",
              details,
              headers);
        }
        case QUOTA ->
            refuse(
                x,
                "quota",
                429,
                "QUOTA_EXCEEDED",
                "the usage plan's daily request quota is used up; it resets in "
                    + retry
                    + " s (simulated)",
                details,
                headers);
        case BUDGET ->
            refuse(x, "budget", 429, "BUDGET_EXCEEDED", budgetSpent(retry), details, headers);
      };
    }
  }

  private ApiException refuse(
      Exchange x,
      String reason,
      int status,
      String code,
      String message,
      Map<String, Object> details) {
    return refuse(x, reason, status, code, message, details, Map.of());
  }

  private ApiException refuse(
      Exchange x,
      String reason,
      int status,
      String code,
      String message,
      Map<String, Object> details,
      Map<String, String> headers) {
    x.rejection = reason;
    metrics.rejected(reason, x.caller.name());
    Map<String, String> all = new LinkedHashMap<>(x.headers);
    all.putAll(headers);
    all.put(REQUEST_ID.defaultCase(), x.requestId);
    return new ApiException(status, code, message, details, all, null);
  }

  private void preflight(
      Exchange x, RoutingRequest req, RoutingResponse res, String origin, String asked) {
    CorsPolicy.Preflight p =
        cors.preflight(origin, asked, req.headers().first(REQUEST_HEADERS).orElse(null));
    if (!p.allowed()) {
      x.rejection = "cors";
      metrics.rejected("cors", x.caller.name());
      throw new ApiException(
          403,
          "CORS_REJECTED",
          "cross-origin request refused: " + p.reason(),
          Map.of(),
          Map.of(),
          null);
    }
    p.headers().forEach(res::header);
    res.status(Status.NO_CONTENT_204);
    res.send();
  }

  private void finished(Exchange x, RoutingRequest req, RoutingResponse res) {
    double seconds = (nanos.getAsLong() - x.startNanos) / 1e9;
    int status = res.status().code();
    String requestId = res.headers().first(REQUEST_ID).orElse(x.requestId);
    String pattern = res.headers().first(PATTERN).orElse(x.api);
    String route =
        req.matchingPattern().orElseGet(() -> status == 404 ? "unmatched" : routeOf(x.path));
    metrics.request(pattern, route, x.method, status, x.caller.name(), seconds);
    log.access(
        new GatewayLog.AccessEntry(
            requestId,
            x.method,
            x.path,
            route,
            pattern,
            status,
            seconds * 1000,
            x.caller.name(),
            res.bytesWritten(),
            x.rejection));
    if (x.requestBody != null) {
      Map<String, String> headers = new LinkedHashMap<>();
      req.headers().forEach(h -> headers.put(h.name(), redactor.header(h.name(), h.values())));
      log.trace(
          requestId,
          "request",
          x.method,
          x.path,
          null,
          headers,
          redactor.body(x.requestBody.bytes(), x.requestBody.length(), x.requestBody.complete()));
      Map<String, String> out = new LinkedHashMap<>();
      res.headers().forEach(h -> out.put(h.name(), redactor.header(h.name(), h.values())));
      log.trace(
          requestId,
          "response",
          x.method,
          x.path,
          status,
          out,
          redactor.body(
              x.responseBody.bytes(), x.responseBody.length(), x.responseBody.complete()));
    }
  }

  private static int headerBytes(RoutingRequest req) {
    int total = 0;
    for (var h : req.headers()) {
      total += h.name().length() + 4;
      for (String v : h.allValues()) total += v.length();
    }
    return total;
  }

  static String patternOf(String path) {
    if (path.startsWith("/sync/")) return "sync";
    if (path.startsWith("/sse/")) return "sse";
    if (path.startsWith("/ws/")) return "websocket";
    if (path.startsWith("/async/")) return "webhook";
    if (path.startsWith("/events/")) return "eventbus";
    if (path.equals("/generate")) return "hybrid";
    if (path.startsWith("/llm/")) return "llm";
    return "runtime";
  }

  /**
   * A bounded route label for paths the router did not name (ids collapsed, unknown paths pooled).
   */
  static String routeOf(String path) {
    String p = path.length() > 128 ? path.substring(0, 128) : path;
    if (!(gated(p)
        || p.startsWith("/llm/")
        || p.equals("/health")
        || p.equals("/metrics")
        || p.equals("/openapi")
        || p.startsWith("/metering/"))) {
      return "other";
    }
    StringBuilder sb = new StringBuilder();
    for (String seg : p.split("/")) {
      if (seg.isEmpty()) continue;
      sb.append('/').append(seg.matches("[a-z_.-]{1,24}") ? seg : "{id}");
    }
    return sb.isEmpty() ? "/" : sb.toString();
  }

  private static String format(double rps) {
    return rps == Math.rint(rps) ? Long.toString((long) rps) : Double.toString(rps);
  }

  static String budgetSpent(long retrySeconds) {
    return "the API key's daily budget is spent; it resets in " + retrySeconds + " s (simulated)";
  }

  static long ceilSeconds(long nanos) {
    return nanos <= 0 ? 0 : (nanos + 999_999_999L) / 1_000_000_000L;
  }

  /** Per-request state shared by the filter and its completion callback. */
  private static final class Exchange {
    final String method;
    final String path;
    final String api; // the pattern (or "llm", "runtime") the path belongs to
    final long startNanos;
    final String requestId;
    final Map<String, String> headers = new LinkedHashMap<>();
    volatile ApiClient caller = ApiClient.ANONYMOUS;
    volatile String rejection;
    BodyCapture requestBody;
    BodyCapture responseBody;

    Exchange(RoutingRequest req, long startNanos, String requestId) {
      this.method = req.prologue().method().text();
      // the decoded, normalised path Helidon routes on: gating the raw one let /%73ync/... or
      // /x/../sync/... reach a pattern route past the gateway
      this.path = req.path().path();
      this.api = patternOf(path);
      this.startNanos = startNanos;
      this.requestId = requestId;
    }
  }
}
