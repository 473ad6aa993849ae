package io.promptway.patterns.webhook;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.patterns.support.RuntimeClient;
import io.promptway.patterns.support.Signatures;
import io.promptway.patterns.support.TestModels;
import io.promptway.runtime.bus.ArchiveEntry;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.webhook.CallbackReceiver;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AsyncPatternAcceptanceTest {
  private CallbackReceiver receiver;
  private RuntimeClient client;

  @BeforeEach
  void start() throws Exception {
    receiver = new CallbackReceiver();
    client =
        RuntimeClient.start(
            o -> {
              o.put("async.retry_base", "1s");
              TestModels.addFlaky(o, "flaky");
            });
  }

  @AfterEach
  void stop() {
    client.close();
    receiver.close();
  }

  private String body(String model, String callback) {
    return "{'prompt':'Summarise the quarterly report','model':'"
        + model
        + "','callback_url':'"
        + callback
        + "'}";
  }

  @Test
  void acceptsWith202ThenDeliversTheResultAsASignedWebhook() throws Exception {
    var reply = client.post("/async/requests", body("instant", receiver.url("/hook")));
    assertEquals(202, reply.status());
    String id = reply.data().path("request_id").asText();
    assertEquals("processing", reply.data().path("status").asText());
    assertEquals("/async/requests/" + id, reply.data().path("status_url").asText());
    assertEquals(id, reply.headers().get("x-request-id"));

    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.calls().size() == 1);
    CallbackReceiver.Call call = receiver.calls().get(0);
    String secret = client.runtime().platform().webhooks().signer().secret().text();
    assertTrue(Signatures.valid(secret, call), "signature verifies with an independent HMAC");
    assertEquals("msg_" + id, call.header("webhook-id"));
    JsonNode hook = Json.mapper().readTree(call.body());
    assertEquals("request.completed", hook.path("type").asText());
    assertEquals(id, hook.path("request_id").asText());
    assertTrue(hook.path("data").path("text").asText().length() > 0);

    var status = client.get("/async/requests/" + id);
    assertEquals(200, status.status());
    assertEquals("completed", status.data().path("status").asText());
    assertEquals(1, status.data().path("attempts").asInt());
    assertEquals(
        hook.path("data").path("text").asText(),
        status.data().path("result").path("text").asText());
    assertTrue(status.data().path("result").path("cost").path("by_component").has("queue"));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                client.get("/async/requests/" + id + "/deliveries").data().path("attempts").size()
                    == 1);
    assertEquals(
        200,
        client
            .get("/async/requests/" + id + "/deliveries")
            .data()
            .path("attempts")
            .get(0)
            .path("status_code")
            .asInt());
    JsonNode message =
        client.get("/async/requests/" + id + "/deliveries").data().path("webhooks").get(0);
    assertEquals("delivered", message.path("status").asText(), message.toString());
    double reads = stateReads(id);
    client.get("/async/requests/" + id + "/deliveries");
    assertEquals(reads, stateReads(id), "looking at the deliveries is not a billed read");
  }

  private double stateReads(String id) {
    double units = 0;
    for (JsonNode row : client.get("/requests/" + id).data().path("meter")) {
      if (row.path("unit").asText().equals("state.read_unit"))
        units += row.path("quantity").asDouble();
    }
    return units;
  }

  @Test
  void refusesACallbackToAHostOutsideTheAllowList() {
    var reply =
        client.post("/async/requests", body("instant", "http://169.254.169.254/latest/meta-data"));
    assertEquals(400, reply.status());
    assertEquals("callback_url", reply.json().path("error").path("details").path("field").asText());
    var missing = client.post("/async/requests", "{'prompt':'hi'}");
    assertEquals(400, missing.status());
    assertTrue(missing.json().path("error").path("message").asText().startsWith("callback_url"));
  }

  @Test
  void retriesRetryableFailuresWithBackoffThenFailsWithMaxRetriesExceeded() throws Exception {
    var reply = client.post("/async/requests", body("flaky", receiver.url("/hook")));
    String id = reply.data().path("request_id").asText();
    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.calls().size() == 1);
    JsonNode hook = Json.mapper().readTree(receiver.calls().get(0).body());
    assertEquals("request.failed", hook.path("type").asText());

    var status = client.get("/async/requests/" + id).data();
    assertEquals("failed", status.path("status").asText());
    assertEquals(3, status.path("attempts").asInt());
    assertEquals("MAX_RETRIES_EXCEEDED", status.path("error").path("code").asText());
    JsonNode trail = client.get("/requests/" + id).data().path("trail");
    List<String> details =
        Json.mapper().convertValue(trail.findValues("detail"), List.class).stream()
            .map(Object::toString)
            .toList();
    assertTrue(
        details.stream().anyMatch(d -> d.contains("attempt 1/3 failed")), details.toString());
    assertTrue(
        details.stream().anyMatch(d -> d.contains("attempt 2/3 failed")), details.toString());
    assertTrue(trail.toString().contains("\"to\":\"retrying\""), "status passed through retrying");
    long errorEvents =
        client.runtime().platform().bus().archive(id).stream()
            .filter(a -> a.kind() == ArchiveEntry.Kind.PUBLISHED)
            .filter(a -> a.event().contains("io.promptway.request.error"))
            .count();
    assertEquals(3, errorEvents, "each failed attempt publishes an error event on the bus");
  }

  @Test
  void reportsAnUnknownRequestAs404() {
    assertEquals(404, client.get("/async/requests/req_nope").status());
  }
}
