package io.promptway.runtime.gateway;

import io.helidon.webserver.http.ServerRequest;
import java.util.Optional;

/**
 * What the gateway learned about a request before any pattern ran, left in the request's context
 * for the pattern: the request id to use and the caller (API key name) for the request lifecycle
 * ({@code NewRequest.caller}) and the bill.
 */
public record GatewayContext(String requestId, ApiClient caller, long startNanos) {
  public static Optional<GatewayContext> of(ServerRequest req) {
    return req.context().get(GatewayContext.class);
  }

  /**
   * Whether this request's caller may see a request {@code owner} sent: only its own. With no API
   * keys every caller and every request is anonymous, so all may; with keys, another caller's
   * request is to be answered as an unknown id would be.
   */
  public static boolean owns(ServerRequest req, String owner) {
    return callerOf(req).equals(owner);
  }

  /** The caller's name, or "anonymous" when the request did not pass the gateway filter. */
  public static String callerOf(ServerRequest req) {
    return of(req).map(c -> c.caller().name()).orElse(ApiClient.ANONYMOUS.name());
  }
}
