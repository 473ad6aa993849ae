package io.promptway.runtime.gateway;

import io.promptway.runtime.config.RuntimeConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Cross-origin resource sharing as the gateway answers it: preflight requests ({@code OPTIONS} with
 * {@code Access-Control-Request-Method}) are answered by the gateway itself, and actual responses
 * get {@code Access-Control-Allow-Origin} when the origin is allowed. An empty origin list turns
 * CORS off (no headers, preflights refused). Origins match exactly or through {@code "*"}.
 */
public final class CorsPolicy {
  private final boolean anyOrigin;
  private final Set<String> origins;
  private final Set<String> methods;
  private final Set<String> headers;
  private final String allowMethods;
  private final String allowHeaders;
  private final String exposeHeaders;
  private final String maxAgeSeconds;
  private final boolean credentials;

  public CorsPolicy(RuntimeConfig.Cors config) {
    this.anyOrigin = config.allowedOrigins().contains("*");
    this.origins = Set.copyOf(config.allowedOrigins());
    this.methods = upper(config.allowedMethods());
    this.headers = lower(config.allowedHeaders());
    this.allowMethods = String.join(", ", config.allowedMethods());
    this.allowHeaders = String.join(", ", config.allowedHeaders());
    this.exposeHeaders = String.join(", ", config.exposedHeaders());
    this.maxAgeSeconds = Long.toString(config.maxAge().toSeconds());
    this.credentials = config.allowCredentials();
  }

  public boolean enabled() {
    return anyOrigin || !origins.isEmpty();
  }

  public boolean originAllowed(String origin) {
    return origin != null && (anyOrigin || origins.contains(origin));
  }

  /** A preflight is an OPTIONS request that asks, through Access-Control-Request-Method. */
  public static boolean isPreflight(String method, String origin, String requestMethod) {
    return "OPTIONS".equals(method) && origin != null && requestMethod != null;
  }

  /**
   * The answer to a preflight: allowed (204 with the allow headers) or refused (403, no allow
   * headers, so the browser blocks the actual request).
   */
  public Preflight preflight(String origin, String requestMethod, String requestHeaders) {
    if (!originAllowed(origin)) return Preflight.refused("origin " + origin + " is not allowed");
    if (!methods.contains(requestMethod.trim().toUpperCase(Locale.ROOT))) {
      return Preflight.refused("method " + requestMethod + " is not allowed");
    }
    if (requestHeaders != null && !requestHeaders.isBlank()) {
      for (String h : requestHeaders.split(",")) {
        String name = h.trim().toLowerCase(Locale.ROOT);
        if (!name.isEmpty() && !headers.contains(name)) {
          return Preflight.refused("header " + h.trim() + " is not allowed");
        }
      }
    }
    Map<String, String> out = new LinkedHashMap<>(responseHeaders(origin));
    out.put("Access-Control-Allow-Methods", allowMethods);
    out.put("Access-Control-Allow-Headers", allowHeaders);
    out.put("Access-Control-Max-Age", maxAgeSeconds);
    return new Preflight(true, null, out);
  }

  /** Headers for an actual (non-preflight) response to a cross-origin request. */
  public Map<String, String> responseHeaders(String origin) {
    if (!originAllowed(origin)) return Map.of();
    Map<String, String> out = new LinkedHashMap<>();
    // A credentialed response may not use "*"; echoing the origin also needs Vary for caches.
    if (anyOrigin && !credentials) {
      out.put("Access-Control-Allow-Origin", "*");
    } else {
      out.put("Access-Control-Allow-Origin", origin);
      out.put("Vary", "Origin");
    }
    if (credentials) out.put("Access-Control-Allow-Credentials", "true");
    if (!exposeHeaders.isEmpty()) out.put("Access-Control-Expose-Headers", exposeHeaders);
    return out;
  }

  private static Set<String> upper(List<String> values) {
    return values.stream()
        .map(v -> v.trim().toUpperCase(Locale.ROOT))
        .collect(Collectors.toUnmodifiableSet());
  }

  private static Set<String> lower(List<String> values) {
    return values.stream()
        .map(v -> v.trim().toLowerCase(Locale.ROOT))
        .collect(Collectors.toUnmodifiableSet());
  }

  /** A preflight decision with the headers to send when allowed. */
  public record Preflight(boolean allowed, String reason, Map<String, String> headers) {
    static Preflight refused(String reason) {
      return new Preflight(false, reason, Map.of());
    }
  }
}
