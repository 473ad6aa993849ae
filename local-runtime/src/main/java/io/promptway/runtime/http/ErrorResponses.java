package io.promptway.runtime.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns every failure into the error envelope in one place. Client errors say what to fix; server
 * errors show their cause only in development and never a stack trace.
 */
public final class ErrorResponses {
  private static final Logger LOG = Logger.getLogger(ErrorResponses.class.getName());

  private final boolean showDetails;

  public ErrorResponses(boolean showDetails) {
    this.showDetails = showDetails;
  }

  public void register(HttpRouting.Builder routing) {
    routing.error(ApiException.class, this::apiError);
    routing.error(HttpException.class, this::httpError);
    routing.error(Exception.class, this::unexpected);
  }

  public void apiError(ServerRequest req, ServerResponse res, ApiException e) {
    if (!e.isClientError())
      LOG.log(Level.WARNING, "request failed: " + e.getMessage(), e.getCause());
    e.headers().forEach(res::header);
    String message = e.isClientError() || showDetails ? e.getMessage() : publicMessage(e.status());
    Map<String, Object> details = e.isClientError() || showDetails ? e.details() : Map.of();
    write(res, e.status(), e.code(), message, details);
  }

  private void httpError(ServerRequest req, ServerResponse res, HttpException e) {
    int status = e.status().code();
    String code =
        switch (status) {
          case 404 -> "NOT_FOUND";
          case 405 -> "METHOD_NOT_ALLOWED";
          case 413 -> "PAYLOAD_TOO_LARGE";
          case 415 -> "UNSUPPORTED_MEDIA_TYPE";
          default -> status < 500 ? "BAD_REQUEST" : "INTERNAL_ERROR";
        };
    String message = status < 500 || showDetails ? e.getMessage() : publicMessage(status);
    write(res, status, code, message, Map.of());
  }

  private void unexpected(ServerRequest req, ServerResponse res, Exception e) {
    String incident = UUID.randomUUID().toString();
    LOG.log(Level.SEVERE, "unexpected failure, incident " + incident, e);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("incident", incident);
    if (showDetails) details.put("exception", e.getClass().getName() + ": " + e.getMessage());
    write(res, 500, "INTERNAL_ERROR", publicMessage(500), details);
  }

  private static String publicMessage(int status) {
    return status == 504 ? "the request timed out" : "the server could not complete the request";
  }

  private static void write(
      ServerResponse res, int status, String code, String message, Map<String, Object> details) {
    if (res.isSent()) return;
    res.status(HttpStatus.of(status));
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.send(Json.bytes(Envelope.failed(new Envelope.ErrorBody(code, message, details), null)));
  }
}
