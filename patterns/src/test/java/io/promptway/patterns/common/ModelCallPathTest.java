package io.promptway.patterns.common;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.patterns.support.RuntimeClient;
import io.promptway.runtime.observability.PrometheusTextParser;
import io.promptway.runtime.webhook.CallbackReceiver;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which functions reach the embedded emulator over loopback HTTP: the sync pattern's always; the
 * async workers' and the bus processors' only when {@code llm.in_process} is false. Counted by the
 * provider route's requests in {@code /metrics}; the tokens are billed either way.
 */
class ModelCallPathTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void onlyTheSyncPatternCrossesLoopbackHttpToTheEmbeddedEmulator() throws Exception {
    try (CallbackReceiver receiver = new CallbackReceiver();
        RuntimeClient client = RuntimeClient.start(o -> {})) {
      String sync = generateSync(client);
      await().atMost(Duration.ofSeconds(10)).until(() -> providerCalls(client) == 1);

      String async = finishAsync(client, receiver);
      String event = finishEvent(client, receiver);

      assertEquals(1, providerCalls(client), "the async and bus calls stayed in process");
      for (String id : new String[] {sync, async, event}) {
        assertTrue(llmTokens(client, id) > 0, id + " is billed its tokens");
      }
    }
  }

  @Test
  void withInProcessOffEveryFunctionCallsTheEmulatorOverHttp() throws Exception {
    try (CallbackReceiver receiver = new CallbackReceiver();
        RuntimeClient client = RuntimeClient.start(o -> o.put("llm.in_process", false))) {
      generateSync(client);
      finishAsync(client, receiver);
      finishEvent(client, receiver);

      await().atMost(Duration.ofSeconds(10)).until(() -> providerCalls(client) == 3);
    }
  }

  private static String generateSync(RuntimeClient client) {
    var reply = client.post("/sync/generate", "{'prompt':'Say hello','model':'instant'}");
    assertEquals(200, reply.status(), reply.json().toString());
    return reply.json().path("metadata").path("request_id").asText();
  }

  private static String finishAsync(RuntimeClient client, CallbackReceiver receiver) {
    var reply =
        client.post(
            "/async/requests",
            "{'prompt':'Say hello','model':'instant','callback_url':'"
                + receiver.url("/hook")
                + "'}");
    assertEquals(202, reply.status(), reply.json().toString());
    String id = reply.data().path("request_id").asText();
    awaitStatus(client, "/async/requests/" + id);
    return id;
  }

  private static String finishEvent(RuntimeClient client, CallbackReceiver receiver) {
    var reply =
        client.post(
            "/events/requests",
            "{'prompt':'Say hello','model':'instant','callback_url':'"
                + receiver.url("/hook")
                + "'}");
    assertEquals(202, reply.status(), reply.json().toString());
    String id = reply.data().path("request_id").asText();
    awaitStatus(client, "/events/requests/" + id);
    return id;
  }

  private static void awaitStatus(RuntimeClient client, String path) {
    String status =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> client.get(path).data().path("status").asText(),
                s -> Set.of("completed", "failed").contains(s));
    assertEquals("completed", status, path);
  }

  private static double llmTokens(RuntimeClient client, String id) {
    double tokens = 0;
    for (var row : client.get("/requests/" + id).data().path("meter")) {
      if (row.path("component").asText().equals("llm")) tokens += row.path("quantity").asDouble();
    }
    return tokens;
  }

  private static double providerCalls(RuntimeClient client) throws Exception {
    HttpResponse<String> res =
        HTTP.send(
            HttpRequest.newBuilder(client.runtime().baseUri().resolve("metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    return PrometheusTextParser.parse(res.body())
        .get("promptway_http_requests_total")
        .sum("promptway_http_requests_total", Map.of("pattern", "llm"));
  }
}
