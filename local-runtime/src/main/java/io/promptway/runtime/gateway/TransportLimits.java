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
import io.promptway.runtime.observability.RuntimeMetrics;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The gateway's limits on the wire, set on the HTTP server: the maximum payload (larger bodies get
 * 413), a hard cap on request headers and the maximum request line (414), and the answers the
 * server gives on its own before any route runs, all in the one error envelope rather than the
 * server's plain-text defaults, each with its own {@code X-Request-Id} and counted in the metrics
 * as the gateway's refusals are.
 */
public final class TransportLimits {
  /**
   * The server's own header limit. The configured {@code gateway.max_header_bytes} is enforced by
   * the gateway filter (431 in the envelope); this larger hard limit stops abuse before parsing
   * finishes, and the server cannot say why it refused, so those get a plain 400.
   */
  public static final int HARD_HEADER_LIMIT = 65_536;

  /** Longest request line (method, path and query) accepted. */
  public static final int MAX_REQUEST_LINE = 8192;

  /**
   * The name Helidon gives the HTTP/1.1 protocol it discovers. A protocol config of another name is
   * added beside it, and with two HTTP/1.1 candidates the server picks by the request line's
   * ending: one that does not end in {@code HTTP/1.1} (HTTP/1.0, a broken line) matched neither and
   * the connection was closed without an answer. Under this name, ours replaces the default, and
   * the one connection type left parses every request line and refuses the bad ones (400, 505).
   */
  static final String HTTP1_PROTOCOL = "http_1_1";

  /** A well-formed HTTP version: one the server does not speak is a 505, not a broken line. */
  private static final Pattern VERSION = Pattern.compile("HTTP/\\d(\\.\\d)?");

  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");

  private final RuntimeMetrics metrics;
  private volatile long maxPayloadBytes; // set by apply, before the server starts
  private final Supplier<String> requestIds;

  /**
   * @param requestIds ids for the refused requests, in the runtime's format
   */
  public TransportLimits(RuntimeMetrics metrics, Supplier<String> requestIds) {
    this.metrics = metrics;
    this.requestIds = requestIds;
  }

  public void apply(WebServerConfig.Builder server, RuntimeConfig.Gateway gateway) {
    server.maxPayloadSize(gateway.maxPayloadBytes());
    maxPayloadBytes = gateway.maxPayloadBytes();
    server.addProtocol(
        Http1Config.builder()
            .name(HTTP1_PROTOCOL)
            .maxHeadersSize(Math.max(HARD_HEADER_LIMIT, gateway.maxHeaderBytes()))
            .maxPrologueLength(MAX_REQUEST_LINE)
            .build());
    server.directHandlers(envelopeHandlers());
  }

  private DirectHandlers envelopeHandlers() {
    DirectHandler handler =
        new DirectHandler() {
          @Override
          public TransportResponse handle(
              TransportRequest request,
              EventType type,
              Status status,
              ServerResponseHeaders headers,
              Throwable thrown,
              System.Logger logger) {
            return answer(
                request, type, status, headers, thrown == null ? null : thrown.getMessage());
          }

          @Override
          public TransportResponse handle(
              TransportRequest request,
              EventType type,
              Status status,
              ServerResponseHeaders headers,
              Throwable thrown) {
            return answer(
                request, type, status, headers, thrown == null ? null : thrown.getMessage());
          }

          @Override
          public TransportResponse handle(
              TransportRequest request,
              EventType type,
              Status status,
              ServerResponseHeaders headers,
              String message) {
            return answer(request, type, status, headers, message);
          }
        };
    DirectHandlers.Builder b = DirectHandlers.builder();
    for (DirectHandler.EventType type : DirectHandler.EventType.values())
      b.addHandler(type, handler);
    return b.build();
  }

  private DirectHandler.TransportResponse answer(
      DirectHandler.TransportRequest request,
      DirectHandler.EventType type,
      Status status,
      ServerResponseHeaders headers,
      String message) {
    if (status.code() == 400 && otherVersion(request))
      status = Status.HTTP_VERSION_NOT_SUPPORTED_505;
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
          case 413 -> "request body exceeds the payload limit of " + maxPayloadBytes + " bytes";
          case 414 -> "the request line is longer than " + MAX_REQUEST_LINE + " bytes";
          case 431 -> "request headers are too large";
          case 505 -> "the HTTP version is not supported: the server speaks HTTP/1.1";
          default ->
              code >= 500 ? "the server could not complete the request" : "malformed HTTP request";
        };
    String caller = ApiClient.ANONYMOUS.name();
    metrics.rejected(errorCode.toLowerCase(Locale.ROOT), caller);
    String method = METHODS.contains(request.method()) ? request.method() : "OTHER";
    metrics.request(GatewayFilter.patternOf(request.path()), "transport", method, code, caller, 0);
    byte[] body =
        Json.bytes(
            Envelope.failed(
                new Envelope.ErrorBody(
                    errorCode,
                    text,
                    code == 413 ? Map.of("limit_bytes", maxPayloadBytes) : Map.of()),
                null));
    return DirectHandler.TransportResponse.builder()
        .status(status)
        .headers(headers)
        .header(GatewayFilter.REQUEST_ID, requestIds.get())
        .header(HeaderNames.CONTENT_TYPE, "application/json")
        .keepAlive(false)
        .entity(body)
        .build();
  }

  /**
   * Whether the request line ends in a well-formed version other than 1.1. The server refuses
   * HTTP/1.0 with a 505 itself, any other version as a bad request that carries the whole line.
   */
  static boolean otherVersion(DirectHandler.TransportRequest request) {
    String line = request.protocolVersion().strip();
    if (line.endsWith("/")) line = line.substring(0, line.length() - 1);
    String version = line.substring(line.lastIndexOf(' ') + 1);
    return VERSION.matcher(version).matches() && !version.equals("HTTP/1.1");
  }
}
