package io.promptway.runtime.gateway;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.promptway.runtime.http.Json;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The gateway's two logs, as JSON lines: the access log (always on; one line per request with
 * status, latency and caller, never a body) and the data-trace log (off by default; redacted,
 * truncated request and response bodies keyed by request id), like API Gateway's access logging and
 * execution/data-trace logging.
 */
public final class GatewayLog {
  public static final String ACCESS_LOGGER = "io.promptway.gateway.access";
  public static final String TRACE_LOGGER = "io.promptway.gateway.datatrace";
  private static final int MAX_PATH = 512;

  private final Logger access = jsonLines(Logger.getLogger(ACCESS_LOGGER));
  private final Timestamps timestamps = new Timestamps();
  private final Logger trace = jsonLines(Logger.getLogger(TRACE_LOGGER));

  /**
   * Makes a logger print bare JSON lines on standard error (not the two-line default format), once
   * per logger, from a writer thread of its own; handlers added by a logging configuration or a
   * test still receive every record.
   */
  private static Logger jsonLines(Logger logger) {
    synchronized (GatewayLog.class) {
      for (Handler h : logger.getHandlers()) if (h instanceof AsyncLineHandler) return logger;
      logger.setUseParentHandlers(false);
      logger.addHandler(new AsyncLineHandler(System.err, logger.getName()));
      return logger;
    }
  }

  /** One access-log line. */
  public record AccessEntry(
      String requestId,
      String method,
      String path,
      String route,
      String pattern,
      int status,
      double latencyMs,
      String caller,
      long bytesOut,
      String rejection) {}

  /** Rendered by hand: this runs once per request, and a tree of nodes costs several times more. */
  public void access(AccessEntry e) {
    if (!access.isLoggable(Level.INFO)) return;
    StringBuilder line = new StringBuilder(320).append("{\"log\":\"access\"");
    line.append(",\"ts\":\"");
    timestamps.append(line, Instant.now());
    line.append('"');
    field(line, "request_id", e.requestId());
    field(line, "method", e.method());
    field(line, "path", Redactor.truncate(e.path(), MAX_PATH));
    field(line, "route", e.route());
    field(line, "pattern", e.pattern());
    line.append(",\"status\":").append(e.status());
    line.append(",\"latency_ms\":").append(Math.round(e.latencyMs() * 1000) / 1000.0);
    field(line, "caller", e.caller());
    line.append(",\"bytes_out\":").append(e.bytesOut());
    if (e.rejection() != null) field(line, "rejection", e.rejection());
    access.info(line.append('}').toString());
  }

  /**
   * ISO-8601 UTC times to the millisecond; the date and time of day are formatted once a second, as
   * formatting the whole instant for every line cost more than the rest of the line.
   */
  static final class Timestamps {
    private record Second(long epochSecond, String text) {}

    private volatile Second last = new Second(Long.MIN_VALUE, "");

    void append(StringBuilder out, Instant t) {
      Second s = last;
      if (s.epochSecond() != t.getEpochSecond()) {
        String text =
            DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC));
        last = s = new Second(t.getEpochSecond(), text);
      }
      int millis = t.getNano() / 1_000_000;
      out.append(s.text()).append('.');
      if (millis < 100) out.append('0');
      if (millis < 10) out.append('0');
      out.append(millis).append('Z');
    }
  }

  private static void field(StringBuilder line, String name, String value) {
    line.append(",\"").append(name).append("\":");
    if (value == null) {
      line.append("null");
      return;
    }
    line.append('"');
    JsonStringEncoder.getInstance().quoteAsString(value, line);
    line.append('"');
  }

  public void trace(
      String requestId,
      String direction,
      String method,
      String path,
      Integer status,
      Map<String, String> headers,
      JsonNode body) {
    ObjectNode line = Json.mapper().createObjectNode();
    line.put("log", "data_trace");
    line.put("request_id", requestId);
    line.put("direction", direction);
    line.put("method", method);
    line.put("path", Redactor.truncate(path, MAX_PATH));
    if (status != null) line.put("status", status);
    ObjectNode h = line.putObject("headers");
    headers.forEach(h::put);
    line.set("body", body);
    trace.info(line.toString());
  }
}
