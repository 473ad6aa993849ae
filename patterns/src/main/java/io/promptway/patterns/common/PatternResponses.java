package io.promptway.patterns.common;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import io.promptway.runtime.gateway.GatewayFilter;
import io.promptway.runtime.http.ApiException;
import io.promptway.runtime.http.Envelope;
import io.promptway.runtime.http.HttpStatus;
import io.promptway.runtime.http.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the shared envelope with the headers every pattern answers with: X-Request-Id, X-Pattern,
 * X-Processing-Time-Ms and X-Cost-Usd.
 */
public final class PatternResponses {
  private static final HeaderName PATTERN = HeaderNames.create("X-Pattern");
  private static final HeaderName PROCESSING_TIME = HeaderNames.create("X-Processing-Time-Ms");
  private static final HeaderName COST = HeaderNames.create("X-Cost-Usd");

  private final boolean showDetails;

  public PatternResponses(boolean showDetails) {
    this.showDetails = showDetails;
  }

  /** Sends the envelope; returns the number of body bytes (for gateway billing). */
  public int send(ServerResponse res, int status, Envelope envelope) {
    Envelope.Metadata m = envelope.metadata();
    if (m != null) {
      if (m.requestId() != null) res.header(GatewayFilter.REQUEST_ID, m.requestId());
      if (m.pattern() != null) res.header(PATTERN, m.pattern());
      if (m.latencyMs() != null) res.header(PROCESSING_TIME, fixed(m.latencyMs(), 1));
      if (m.cost() != null) res.header(COST, fixed(m.cost().totalUsd(), 8));
    }
    byte[] body = Json.bytes(envelope);
    res.status(HttpStatus.of(status));
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.send(body);
    return body.length;
  }

  /**
   * {@code value} with {@code places} decimals, rounded half up, as {@code String.format("%.Nf")}
   * does (which costs several times more, once per header per request).
   */
  static String fixed(double value, int places) {
    if (!Double.isFinite(value)) return String.format(Locale.ROOT, "%." + places + "f", value);
    return BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_UP).toPlainString();
  }

  /** The error envelope for a failure that happened after the request got an id. */
  public Envelope failure(ApiException e, Envelope.Metadata metadata) {
    boolean explain = e.isClientError() || showDetails;
    String message =
        explain
            ? e.getMessage()
            : e.status() == 504
                ? "the request timed out"
                : "the server could not complete the request";
    Map<String, Object> details = explain ? e.details() : Map.of();
    return Envelope.failed(new Envelope.ErrorBody(e.code(), message, details), metadata);
  }
}
