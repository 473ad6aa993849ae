package io.promptway.patterns.hybrid;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.patterns.support.RuntimeClient;
import io.promptway.patterns.support.TestModels;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HybridPatternAcceptanceTest {
  private static RuntimeClient client;

  @BeforeAll
  static void start() {
    client = RuntimeClient.start(o -> TestModels.addFlaky(o, "flaky"));
  }

  @AfterAll
  static void stop() {
    client.close();
  }

  @Test
  void servesAShortPremiumPromptSynchronously() {
    var reply = client.post("/generate", "{'prompt':'Hi','model':'instant','user_tier':'premium'}");
    assertEquals(200, reply.status(), reply.json().toString());
    assertEquals("sync", reply.data().path("routing").path("pattern").asText());
    assertTrue(reply.data().path("text").asText().length() > 0);
    assertEquals("hybrid", reply.headers().get("x-pattern"));
    assertEquals("hybrid", reply.json().path("metadata").path("pattern").asText());
  }

  @Test
  void queuesALongPromptAndItCompletesWithoutACallback() {
    String prompt = "word ".repeat(1000);
    var reply = client.post("/generate", "{'prompt':'" + prompt + "','model':'instant'}");
    assertEquals(202, reply.status(), reply.json().toString());
    assertEquals("async", reply.data().path("routing").path("pattern").asText());
    assertTrue(reply.data().path("routing").path("reason").asText().contains("long prompt"));
    String statusUrl = reply.data().path("status_url").asText();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> client.get(statusUrl).data().path("status").asText().equals("completed"));
    var status = client.get(statusUrl);
    assertEquals("hybrid", status.data().path("pattern").asText());
    assertEquals("hybrid", status.json().path("metadata").path("pattern").asText());
    assertEquals("hybrid", status.headers().get("x-pattern"));
    // its send, receive and delete on the queue are billed to hybrid
    double queueCalls = 0;
    for (var row : client.get("/metering/totals").data().path("totals")) {
      if (row.path("pattern").asText().equals("hybrid")
          && row.path("unit").asText().equals("queue.request")) {
        queueCalls += row.path("quantity").asDouble();
      }
    }
    assertTrue(queueCalls >= 3, "queue calls billed to hybrid: " + queueCalls);
  }

  @Test
  void queuesOnAQueueOfItsOwnSoTheAsyncPatternsBacklogNeverDelaysIt() throws Exception {
    String metrics = metrics();

    assertTrue(metrics.contains("promptway_queue_depth{queue=\"hybrid-requests\"}"), metrics);
    assertTrue(metrics.contains("promptway_queue_depth{queue=\"async-requests\"}"), metrics);
  }

  private static String metrics() throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(client.runtime().baseUri().resolve("/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void pointsStreamingRequestsAtTheStreamingEndpoints() {
    var sse = client.post("/generate", "{'prompt':'Hi','model':'instant','stream':true}");
    assertEquals(200, sse.status());
    assertEquals("/sse/generate", sse.data().path("stream_url").asText());
    assertEquals("sse", sse.data().path("routing").path("pattern").asText());
    var ws =
        client.post(
            "/generate", "{'prompt':'Hi','model':'instant','stream':true,'conversation_id':'c-1'}");
    assertEquals("/ws/chat", ws.data().path("stream_url").asText());
  }

  @Test
  void theLifecycleRouteShowsTheBillOfAnAnswerThatPointedToAStream() throws Exception {
    var sse = client.post("/generate", "{'prompt':'Hi','model':'instant','stream':true}");
    String id = sse.json().path("metadata").path("request_id").asText();
    var lifecycle =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> client.get("/requests/" + id), r -> r.status() == 200);
    assertTrue(
        lifecycle.data().path("cost").path("total_usd").asDouble() > 0,
        lifecycle.json().toString());
    assertTrue(
        lifecycle.data().path("note").asText().startsWith("a hybrid answer that pointed"),
        lifecycle.json().toString());
    assertEquals("hybrid", lifecycle.json().path("metadata").path("pattern").asText());
    assertEquals(404, client.get("/requests/req_unknown").status());
    String metrics = metrics();
    assertFalse(
        metrics.contains("pattern=\"hybrid\",component=\"gateway\",model=\"\",caller=\"unknown\""),
        "the pointer's bill is the caller's: " + metrics);
  }

  @Test
  void checksTheCallbackUrlOfARequestRoutedAsync() {
    var reply =
        client.post(
            "/generate",
            "{'prompt':'Hi','model':'instant','mode':'async','callback_url':'http://10.0.0.1/x'}");
    assertEquals(400, reply.status());
    assertEquals("callback_url", reply.json().path("error").path("details").path("field").asText());
  }

  @Test
  void aFailedSyncAnswerStillSaysWhereItWasRoutedAndWhy() {
    var reply = client.post("/generate", "{'prompt':'x','model':'flaky','mode':'sync'}");

    assertEquals(502, reply.status(), reply.json().toString());
    assertFalse(reply.json().path("success").asBoolean());
    assertEquals(
        "sync", reply.data().path("routing").path("pattern").asText(), reply.json().toString());
    assertEquals("mode sync requested", reply.data().path("routing").path("reason").asText());
    assertEquals("sync", reply.headers().get("x-routed-to"));
  }

  @Test
  void refusesACallbackUrlTheEventsRouteWouldRefuseInsteadOfPointingThere() {
    var refused =
        client.post(
            "/generate", "{'prompt':'hi','mode':'events','callback_url':'http://example.com/x'}");

    assertEquals(400, refused.status(), refused.json().toString());
    assertEquals(
        "callback_url", refused.json().path("error").path("details").path("field").asText());
    assertTrue(refused.data().path("submit_url").isMissingNode(), refused.json().toString());
    var allowed =
        client.post(
            "/generate", "{'prompt':'hi','mode':'events','callback_url':'http://127.0.0.1:9/x'}");
    assertEquals(200, allowed.status(), allowed.json().toString());
    assertEquals("/events/requests", allowed.data().path("submit_url").asText());
  }
}
