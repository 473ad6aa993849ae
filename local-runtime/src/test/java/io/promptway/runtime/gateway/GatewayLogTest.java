package io.promptway.runtime.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.runtime.http.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class GatewayLogTest {
  @Test
  void accessLineIsOneJsonObjectEvenWithQuotesAndControlCharactersInThePath() throws Exception {
    GatewayLog log = new GatewayLog();
    List<String> lines = new CopyOnWriteArrayList<>();
    Handler collect =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getMessage().contains("req_log_test")) lines.add(record.getMessage());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger logger = Logger.getLogger(GatewayLog.ACCESS_LOGGER);
    logger.addHandler(collect);
    try {
      log.access(
          new GatewayLog.AccessEntry(
              "req_log_test",
              "POST",
              "/sync/\"quoted\"\n\u00e9",
              "/sync/generate",
              "sync",
              429,
              12.3456789,
              "anonymous",
              321,
              "throttled"));
    } finally {
      logger.removeHandler(collect);
    }
    assertEquals(1, lines.size());
    String line = lines.getFirst();
    assertFalse(line.contains("\n"), "one line: " + line);
    JsonNode json = Json.mapper().readTree(line);
    assertEquals("access", json.path("log").asText());
    assertEquals("/sync/\"quoted\"\n\u00e9", json.path("path").asText());
    assertEquals(429, json.path("status").asInt());
    assertEquals(12.346, json.path("latency_ms").asDouble(), 1e-9);
    assertEquals(321, json.path("bytes_out").asLong());
    assertEquals("throttled", json.path("rejection").asText());
    assertTrue(json.path("ts").asText().endsWith("Z"));
  }

  @Test
  void timestampsReadAsTheInstantToTheMillisecond() {
    GatewayLog.Timestamps timestamps = new GatewayLog.Timestamps();
    for (String iso :
        List.of(
            "2026-11-27T17:51:25.000Z",
            "2026-11-27T17:51:25.007Z",
            "2026-11-27T17:51:25.070999999Z",
            "2026-11-27T17:51:26.999Z",
            "1999-12-31T23:59:59.5Z",
            "2026-11-27T17:51:25.123Z")) {
      Instant t = Instant.parse(iso);
      StringBuilder out = new StringBuilder();
      timestamps.append(out, t);
      assertEquals(t.truncatedTo(ChronoUnit.MILLIS), Instant.parse(out), iso);
      assertEquals(24, out.length(), out.toString());
    }
  }
}
