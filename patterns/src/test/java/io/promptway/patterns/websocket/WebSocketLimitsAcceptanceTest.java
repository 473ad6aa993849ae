package io.promptway.patterns.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.patterns.RunningRuntime;
import io.promptway.patterns.StreamingRuntimes;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The platform's connection limits, at a time scale where ten minutes pass in a fifth of a second.
 */
class WebSocketLimitsAcceptanceTest {

  @Test
  void idleConnectionIsToldWhyAndClosedAfterTheIdleTimeoutInSimulatedTime() throws Exception {
    try (RunningRuntime runtime = StreamingRuntimes.start(Map.of("time_scale", 3000));
        HttpClient http = HttpClient.newHttpClient()) {
      long start =
          System.nanoTime(); // before the connection opens, so the server's idle clock starts later
      try (ChatClient c = new ChatClient(http, runtime.baseUri())) {
        JsonNode error = c.next(10);
        int code = c.closed.get(10, TimeUnit.SECONDS);
        long realMs = (System.nanoTime() - start) / 1_000_000;

        assertEquals("IDLE_TIMEOUT", error.get("code").asText());
        assertEquals(WebSocket.NORMAL_CLOSURE + 1, code, "1001 going away");
        assertTrue(
            realMs >= 195,
            "10 simulated minutes at x3000 is 200 ms, closed after " + realMs + " ms");
      }
    }
  }

  @Test
  void activeConnectionIsClosedAtTheMaximumConnectionDuration() throws Exception {
    Map<String, Object> limits =
        Map.of(
            "time_scale",
            3000,
            "websocket.idle_timeout",
            "10m",
            "websocket.max_connection_duration",
            "20m");
    try (RunningRuntime runtime = StreamingRuntimes.start(limits);
        HttpClient http = HttpClient.newHttpClient();
        ChatClient c = new ChatClient(http, runtime.baseUri())) {
      JsonNode error = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (error == null && System.nanoTime() < deadline) {
        c.send("{\"action\":\"cancel\",\"request_id\":\"req_keepalive\"}"); // activity every ~1.5
        // simulated min
        JsonNode m = c.messages.poll(30, TimeUnit.MILLISECONDS);
        while (m != null && error == null) {
          if (!"NOT_FOUND".equals(m.path("code").asText())) error = m;
          m = c.messages.poll();
        }
      }
      assertEquals("MAX_CONNECTION_DURATION", error == null ? null : error.get("code").asText());
    }
  }
}
