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
 * Which functions reach the embedded emulator over loopback HTTP: the sync pattern's unless {@code
 * llm.sync_over_http} is false; the async workers' and the bus processors' only when {@code
 * llm.in_process} is false. Counted by the provider route's requests in {@code /metrics}; the
 * tokens are billed either way.
 */
class ModelCallPathTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void onlyTheSyncPatternCrossesLoopbackHttpToTheEmbeddedEmulator() throws Exception {
    try (CallbackReceiver receiver = new CallbackReceiver();
        RuntimeClient client = RuntimeClient.start(o -> {})) {
      String sync = generateSync(client);
      await().atMost(Duration.ofSeconds(10)).until(() -> providerCalls(client) == 1);

      String async = finish(client, receiver, "/async/requests");
      String event = finish(client, receiver, "/events/requests");

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
      finish(client, receiver, "/async/requests");
      finish(client, receiver, "/events/requests");

      await().atMost(Duration.ofSeconds(10)).until(() -> providerCalls(client) == 3);
    }
  }

  @Test
  void withSyncOverHttpOffNoFunctionCrossesLoopbackHttp() throws Exception {
    try (CallbackReceiver receiver = new CallbackReceiver();
        RuntimeClient client = RuntimeClient.start(o -> o.put("llm.sync_over_http", false))) {
      String sync = generateSync(client);
      // the async request's webhook arrives after the sync answer's metrics are counted
      String async = finish(client, receiver, "/async/requests");

      assertEquals(0, providerCalls(client), "the sync call stayed in process");
      for (String id : new String[] {sync, async}) {
        assertTrue(llmTokens(client, id) > 0, id + " is billed its tokens");
      }
    }
  }

  private static String generateSync(RuntimeClient client) {
    var reply = client.post("/sync/generate", "{'prompt':'Say hello','model':'instant'}");
    assertEquals(200, reply.status(), reply.json().toString());
    return reply.json().path("metadata").path("request_id").asText();
  }

  /** Submits to an asynchronous route and waits until the request completes. */
  private static String finish(RuntimeClient client, CallbackReceiver receiver, String route) {
    var reply =
        client.post(
            route,
            "{'prompt':'Say hello','model':'instant','callback_url':'"
                + receiver.url("/hook")
                + "'}");
    assertEquals(202, reply.status(), reply.json().toString());
    String id = reply.data().path("request_id").asText();
    String status =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> client.get(route + "/" + id).data().path("status").asText(),
                s -> Set.of("completed", "failed").contains(s));
    assertEquals("completed", status, route + "/" + id);
    return id;
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
