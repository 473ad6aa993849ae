package io.promptway.runtime.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.promptway.runtime.http.Json;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

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
  private final Logger trace = jsonLines(Logger.getLogger(TRACE_LOGGER));

  /**
   * Makes a logger print bare JSON lines on standard error (not the two-line default format), once
   * per logger; handlers added by a logging configuration or a test still receive every record.
   */
  private static Logger jsonLines(Logger logger) {
    synchronized (GatewayLog.class) {
      for (Handler h : logger.getHandlers()) if (h instanceof JsonLinesHandler) return logger;
      logger.setUseParentHandlers(false);
      logger.addHandler(new JsonLinesHandler());
      return logger;
    }
  }

  /** Writes each record's message as one line on standard error. */
  private static final class JsonLinesHandler extends StreamHandler {
    JsonLinesHandler() {
      super(
          System.err,
          new Formatter() {
            @Override
            public String format(LogRecord record) {
              return record.getMessage() + System.lineSeparator();
            }
          });
      setLevel(Level.ALL);
    }

    @Override
    public synchronized void publish(LogRecord record) {
      super.publish(record);
      flush();
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

  public void access(AccessEntry e) {
    if (!access.isLoggable(Level.INFO)) return;
    ObjectNode line = Json.mapper().createObjectNode();
    line.put("log", "access");
    line.put("ts", java.time.Instant.now().toString());
    line.put("request_id", e.requestId());
    line.put("method", e.method());
    line.put("path", Redactor.truncate(e.path(), MAX_PATH));
    line.put("route", e.route());
    line.put("pattern", e.pattern());
    line.put("status", e.status());
    line.put("latency_ms", Math.round(e.latencyMs() * 1000) / 1000.0);
    line.put("caller", e.caller());
    line.put("bytes_out", e.bytesOut());
    if (e.rejection() != null) line.put("rejection", e.rejection());
    access.info(line.toString());
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
