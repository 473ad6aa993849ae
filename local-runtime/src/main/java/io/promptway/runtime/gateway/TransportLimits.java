package io.promptway.runtime.gateway;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http1.Http1Config;
import io.promptway.runtime.config.RuntimeConfig;
import io.promptway.runtime.http.Envelope;
import io.promptway.runtime.http.Json;
import java.util.Map;

/**
 * The gateway's limits on the wire, set on the HTTP server: the maximum payload (larger bodies get
 * 413), the maximum size of the request headers (431) and of the request line (414), and the
 * answers the server gives on its own before any route runs, all in the one error envelope rather
 * than the server's plain-text defaults.
 */
public final class TransportLimits {
  /** Longest request line (method, path and query) accepted. */
  public static final int MAX_REQUEST_LINE = 8192;

  private TransportLimits() {}

  public static void apply(WebServerConfig.Builder server, RuntimeConfig.Gateway gateway) {
    server.maxPayloadSize(gateway.maxPayloadBytes());
    server.addProtocol(
        Http1Config.builder()
            .maxHeadersSize(gateway.maxHeaderBytes())
            .maxPrologueLength(MAX_REQUEST_LINE)
            .build());
    server.directHandlers(envelopeHandlers());
  }

  public static DirectHandlers envelopeHandlers() {
    DirectHandler handler = TransportLimits::answer;
    DirectHandlers.Builder b = DirectHandlers.builder();
    for (DirectHandler.EventType type : DirectHandler.EventType.values())
      b.addHandler(type, handler);
    return b.build();
  }

  private static DirectHandler.TransportResponse answer(
      DirectHandler.TransportRequest request,
      DirectHandler.EventType type,
      Status status,
      ServerResponseHeaders headers,
      String message) {
    int code = status.code();
    String errorCode =
        switch (code) {
          case 413 -> "PAYLOAD_TOO_LARGE";
          case 414 -> "URI_TOO_LONG";
          case 431 -> "HEADERS_TOO_LARGE";
          case 505 -> "HTTP_VERSION_NOT_SUPPORTED";
          default -> code >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST";
        };
    String text =
        switch (code) {
          case 413 -> "request body exceeds the payload limit";
          case 414 -> "the request line is longer than " + MAX_REQUEST_LINE + " bytes";
          case 431 -> "request headers are too large";
          default ->
              code >= 500 ? "the server could not complete the request" : "malformed HTTP request";
        };
    byte[] body =
        Json.bytes(Envelope.failed(new Envelope.ErrorBody(errorCode, text, Map.of()), null));
    return DirectHandler.TransportResponse.builder()
        .status(status)
        .headers(headers)
        .header(HeaderNames.CONTENT_TYPE, "application/json")
        .keepAlive(false)
        .entity(body)
        .build();
  }
}
