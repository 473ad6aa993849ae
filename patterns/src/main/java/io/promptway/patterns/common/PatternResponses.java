package io.promptway.patterns.common;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import io.promptway.runtime.http.ApiException;
import io.promptway.runtime.http.Envelope;
import io.promptway.runtime.http.HttpStatus;
import io.promptway.runtime.http.Json;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the shared envelope with the headers every pattern answers with: X-Request-Id, X-Pattern,
 * X-Processing-Time-Ms and X-Cost-Usd.
 */
public final class PatternResponses {
  private final boolean showDetails;

  public PatternResponses(boolean showDetails) {
    this.showDetails = showDetails;
  }

  /** Sends the envelope; returns the number of body bytes (for gateway billing). */
  public int send(ServerResponse res, int status, Envelope envelope) {
    Envelope.Metadata m = envelope.metadata();
    if (m != null) {
      if (m.requestId() != null) res.header("X-Request-Id", m.requestId());
      if (m.pattern() != null) res.header("X-Pattern", m.pattern());
      if (m.latencyMs() != null)
        res.header("X-Processing-Time-Ms", String.format(Locale.ROOT, "%.1f", m.latencyMs()));
      if (m.cost() != null)
        res.header("X-Cost-Usd", String.format(Locale.ROOT, "%.8f", m.cost().totalUsd()));
    }
    byte[] body = Json.bytes(envelope);
    res.status(HttpStatus.of(status));
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.send(body);
    return body.length;
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
