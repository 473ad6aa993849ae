package io.promptway.patterns.websocket;

import static io.promptway.patterns.websocket.ChatClient.type;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.patterns.RunningRuntime;
import io.promptway.patterns.StreamingRuntimes;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.observability.PrometheusTextParser;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a WebSocket connection spends is its caller's: the API key's name, or anonymous. */
class WebSocketCallerAcceptanceTest {
  private static final String KEY = "k-bob-7c1d";
  // one generation of 20 gpt-4o tokens costs about $0.0002; opening a connection far less
  private static final Map<String, Object> BOB_ON_A_TINY_PLAN =
      Map.of(
          "gateway.api_keys.keys",
          List.of(Map.of("name", "bob", "key", KEY, "plan", "tiny")),
          "gateway.usage_plans",
          Map.of(
              "tiny",
              Map.of(
                  "steady_rps",
                  100,
                  "burst",
                  100,
                  "quota_per_day",
                  1000,
                  "budget_usd_per_day",
                  0.0001)));

  private static String generate(String clientRef) {
    return "{\"action\":\"generate\",\"prompt\":\"Hello\",\"max_tokens\":20,\"model\":\""
        + StreamingRuntimes.STEADY
        + "\",\"client_ref\":\""
        + clientRef
        + "\"}";
  }

  @Test
  void aKeyOverItsBudgetThroughWebSocketIsRefusedOnItsNextSyncRequestAndItsNextGenerate()
      throws Exception {
    Map<String, Object> config = new HashMap<>(BOB_ON_A_TINY_PLAN);
    config.put("gateway.api_keys.required", true);
    try (RunningRuntime rt = StreamingRuntimes.start(config);
        HttpClient http = HttpClient.newHttpClient();
        ChatClient c = new ChatClient(http, rt.baseUri(), "x-api-key", KEY)) {
      c.send(generate("first"));
      JsonNode complete = c.until(type("complete"), 20).getLast();
      assertTrue(complete.at("/cost/total_usd").asDouble() > 0.0001, complete.toString());

      c.send(generate("second"));
      JsonNode refused = c.next(5);
      assertEquals("error", refused.get("type").asText(), refused.toString());
      assertEquals("BUDGET_EXCEEDED", refused.get("code").asText());
      assertEquals("second", refused.get("client_ref").asText());
      c.send("{\"action\":\"cancel\",\"request_id\":\"req_none\"}");
      assertEquals("NOT_FOUND", c.next(5).get("code").asText(), "the connection stays open");

      HttpResponse<String> sync =
          http.send(
              HttpRequest.newBuilder(rt.baseUri().resolve("sync/generate"))
                  .header("x-api-key", KEY)
                  .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"x\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(429, sync.statusCode(), sync.body());
      assertEquals(
          "BUDGET_EXCEEDED", Json.mapper().readTree(sync.body()).at("/error/code").asText());
    }
  }

  @Test
  void metricsNameTheKeyOrAnonymousForWebSocketCostsNeverTheConnection() throws Exception {
    try (RunningRuntime rt = StreamingRuntimes.start(BOB_ON_A_TINY_PLAN);
        HttpClient http = HttpClient.newHttpClient()) {
      for (String[] headers : List.of(new String[] {"x-api-key", KEY}, new String[0])) {
        try (ChatClient c = new ChatClient(http, rt.baseUri(), headers)) {
          c.send(generate("one"));
          c.until(type("complete"), 20);
          c.send("{\"action\":\"cancel\",\"request_id\":\"req_someone_elses\"}");
          assertEquals("NOT_FOUND", c.next(5).get("code").asText());
        }
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> connectionMinutes(metrics(rt, http)) == 2.0);

      String text = metrics(rt, http);
      assertFalse(text.contains("caller=\"conn_"), "no series per connection");
      assertFalse(text.contains("caller=\"unknown\""), "every connection's caller is known");
      var parsed = PrometheusTextParser.parse(text);
      for (String caller : List.of("bob", "anonymous")) {
        assertEquals(
            1.0,
            parsed
                .get("promptway_billable_units_total")
                .sum(
                    "promptway_billable_units_total",
                    Map.of("caller", caller, "unit", "websocket_connection_minute")),
            caller + "'s connection");
        assertTrue(
            parsed
                    .get("promptway_llm_tokens_total")
                    .sum(
                        "promptway_llm_tokens_total",
                        Map.of("caller", caller, "pattern", "websocket"))
                > 0,
            caller + "'s tokens");
      }
    }
  }

  private static double connectionMinutes(String metrics) {
    return PrometheusTextParser.parse(metrics)
        .get("promptway_billable_units_total")
        .sum("promptway_billable_units_total", Map.of("unit", "websocket_connection_minute"));
  }

  private static String metrics(RunningRuntime rt, HttpClient http) {
    try {
      return http.send(
              HttpRequest.newBuilder(rt.baseUri().resolve("metrics")).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
