package io.promptway.patterns.eventbus;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.patterns.RuntimeFixture;
import io.promptway.patterns.support.RuntimeClient;
import io.promptway.patterns.support.Signatures;
import io.promptway.patterns.support.TestModels;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.webhook.CallbackReceiver;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventsPatternAcceptanceTest {
  private CallbackReceiver receiver;
  private RuntimeClient client;

  @BeforeEach
  void start() throws Exception {
    receiver = new CallbackReceiver();
    client = RuntimeClient.start(o -> {});
  }

  @AfterEach
  void stop() {
    if (client != null) client.close();
    receiver.close();
  }

  private String submit(int priority) {
    return accept(priority).data().path("request_id").asText();
  }

  private RuntimeClient.Reply accept(int priority) {
    var reply =
        client.post(
            "/events/requests",
            "{'prompt':'Classify this ticket','model':'instant','priority':"
                + priority
                + ",'callback_url':'"
                + receiver.url("/hook")
                + "'}");
    assertEquals(202, reply.status(), reply.json().toString());
    assertEquals("queued", reply.data().path("status").asText());
    String id = reply.data().path("request_id").asText();
    assertEquals("/events/requests/" + id, reply.data().path("status_url").asText());
    return reply;
  }

  private JsonNode awaitFinished(String id) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> client.get("/events/requests/" + id).data(),
            d -> Set.of("completed", "failed").contains(d.path("status").asText()));
  }

  private Set<String> llmModels(String id) {
    Set<String> models = new HashSet<>();
    for (JsonNode row : client.get("/requests/" + id).data().path("meter")) {
      if (row.path("component").asText().equals("llm")) models.add(row.path("model").asText());
    }
    return models;
  }

  @Test
  void routesHighPriorityToTheFastModelAndTheRestToTheSmallOne() {
    String high = submit(8);
    String low = submit(3);
    JsonNode h = awaitFinished(high);
    JsonNode l = awaitFinished(low);
    assertEquals("completed", h.path("status").asText());
    assertEquals("high-priority", h.path("routing").path("rules").get(0).asText());
    // the bus archives the delivery once the processor returns, just after the request completes
    JsonNode routing =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> client.get("/events/requests/" + high).data().path("routing"),
                r -> r.path("delivered_to").size() == 1);
    assertEquals("fast-processor", routing.path("delivered_to").get(0).asText());
    assertEquals(Set.of("gpt-4o"), llmModels(high));
    assertEquals("standard-priority", l.path("routing").path("rules").get(0).asText());
    assertEquals(Set.of("gpt-4o-mini"), llmModels(low));
    assertTrue(
        h.path("cost").isMissingNode()
            && h.path("result").path("cost").path("by_component").has("bus"));
  }

  @Test
  void aRequestRoutedToAnotherModelNamesTheModelThatAnsweredInEveryViewOfIt() throws Exception {
    var accepted = accept(9);
    assertEquals("gpt-4o", accepted.json().path("metadata").path("model").asText());
    String id = accepted.data().path("request_id").asText();
    JsonNode status = awaitFinished(id);
    assertEquals("completed", status.path("status").asText(), status.toString());
    var reply = client.get("/events/requests/" + id);
    assertEquals("gpt-4o", reply.data().path("model").asText());
    assertEquals("gpt-4o", reply.json().path("metadata").path("model").asText());
    assertEquals("gpt-4o", reply.data().path("routing").path("model").asText());
    JsonNode request = client.get("/requests/" + id).json();
    assertEquals("gpt-4o", request.path("data").path("request").path("model").asText());
    assertEquals("gpt-4o", request.path("metadata").path("model").asText());
    assertEquals(Set.of("gpt-4o"), llmModels(id));
    boolean told = false;
    for (JsonNode t : request.path("data").path("trail")) {
      told |=
          t.path("detail")
              .asText()
              .startsWith("routed to fast-processor (gpt-4o) in place of instant");
    }
    assertTrue(told, request.path("data").path("trail").toString());
    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.calls().size() == 1);
    JsonNode hook = Json.mapper().readTree(receiver.calls().get(0).body());
    assertEquals("gpt-4o", hook.path("data").path("model").asText(), hook.toString());
  }

  @Test
  void aBusModelServesEveryRequestWhateverTheProcessorsOwnModel() {
    try (RuntimeClient one = RuntimeClient.start(o -> o.put("bus.model", "instant"))) {
      var reply =
          one.post(
              "/events/requests",
              "{'prompt':'Classify this ticket','model':'instant','priority':9}");
      assertEquals("instant", reply.json().path("metadata").path("model").asText());
      String id = reply.data().path("request_id").asText();
      JsonNode done =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> one.get("/events/requests/" + id).data(),
                  d -> d.path("status").asText().equals("completed"));
      assertEquals("instant", done.path("model").asText(), done.toString());
      assertEquals(
          "instant",
          one.get("/events/rules")
              .data()
              .path("processors")
              .path("fast-processor")
              .path("model")
              .asText());
    }
  }

  @Test
  void callsBackWithASignedWebhookAndArchivesTheCloudEvent() throws Exception {
    String id = submit(2);
    JsonNode finished = awaitFinished(id);
    assertEquals("completed", finished.path("status").asText(), finished.toString());
    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.calls().size() == 1);
    CallbackReceiver.Call call = receiver.calls().get(0);
    assertTrue(
        Signatures.valid(client.runtime().platform().webhooks().signer().secret().text(), call));
    assertEquals("request.completed", Json.mapper().readTree(call.body()).path("type").asText());

    JsonNode archive = client.get("/events/archive?request_id=" + id).data();
    assertEquals("published", archive.get(0).path("kind").asText());
    JsonNode event = archive.get(0).path("event"); // the CloudEvent itself, not a string of it
    assertEquals("1.0", event.path("specversion").asText());
    assertEquals("io.promptway.request.created", event.path("type").asText());
    assertEquals("/events/requests", event.path("source").asText());
    assertEquals("application/json", event.path("datacontenttype").asText());
    assertEquals(id, event.path("data").path("request_id").asText());
    assertTrue(event.has("id") && event.has("time"));
    assertEquals(400, client.get("/events/archive").status());
  }

  @Test
  void aRequestNoRuleMatchesFailsAndItsCallbackIsToldSo() throws Exception {
    client.close();
    client =
        RuntimeClient.start(
            o ->
                o.put(
                    "bus.rules",
                    List.of(
                        Map.of(
                            "name",
                            "enterprise-only",
                            "pattern",
                            Map.of("data", Map.of("user_tier", List.of("enterprise"))),
                            "targets",
                            List.of("fast-processor")))));
    var reply =
        client.post(
            "/events/requests",
            "{'prompt':'Classify this ticket','priority':3,'callback_url':'"
                + receiver.url("/hook")
                + "'}");
    assertEquals(202, reply.status(), reply.json().toString());
    assertEquals("failed", reply.data().path("status").asText());
    assertEquals(0, reply.data().path("rules").size());
    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.calls().size() == 1);
    JsonNode hook = Json.mapper().readTree(receiver.calls().get(0).body());
    assertEquals("request.failed", hook.path("type").asText());
    assertEquals(reply.data().path("request_id").asText(), hook.path("request_id").asText());
    assertEquals("NO_MATCHING_RULE", hook.path("data").path("error").path("code").asText());
  }

  @Test
  void introspectionRoutesAnswer400NamingABadLimitOrAnEmptyRequestId() {
    for (String path :
        List.of(
            "/events/dead-letters?limit=0",
            "/events/dead-letters?limit=x",
            "/events/dead-letters?limit=1001",
            "/webhooks/dead-letters?limit=0")) {
      var reply = client.get(path);
      assertEquals(400, reply.status(), path);
      assertEquals(
          "limit", reply.json().path("error").path("details").path("field").asText(), path);
    }
    var empty = client.get("/events/archive?request_id=");
    assertEquals(400, empty.status());
    assertEquals("request_id", empty.json().path("error").path("details").path("field").asText());
    assertEquals(200, client.get("/events/dead-letters?limit=5").status());
  }

  @Test
  void listsTheConfiguredRules() {
    JsonNode rules = client.get("/events/rules").data();
    assertEquals("high-priority", rules.path("rules").get(0).path("name").asText());
    assertEquals(
        ">",
        rules
            .path("rules")
            .get(0)
            .path("event_pattern")
            .path("data")
            .path("priority")
            .get(0)
            .path("numeric")
            .get(0)
            .asText());
    assertEquals("gpt-4o", rules.path("processors").path("fast-processor").path("model").asText());
  }

  @Test
  void aProcessorPastItsMaximumDurationFailsItsAttemptAsAFunctionTimeout() {
    client.close();
    client =
        RuntimeClient.start(
            o -> {
              o.put("time_scale", 10);
              o.put("function.max_duration", "10s");
              o.put("llm.models.slow", RuntimeFixture.model("60s", "10ms", 20, null));
              o.put("prices.llm.slow", Map.of("input", 1.0, "output", 2.0));
              o.put("bus.processors.standard-processor.model", "slow");
              o.put("bus.max_attempts", 1);
            });
    String id = submit(1);
    JsonNode status = awaitFinished(id);
    assertEquals("failed", status.path("status").asText());
    assertEquals(
        "max retries exceeded after 1 attempts; last error: "
            + "the function ran past its maximum duration of 10s and was stopped",
        status.path("error").path("message").asText());
  }

  @Test
  void retriesAFailingProcessorThenFailsTheRequestAndDeadLettersTheEvent() {
    client.close();
    client =
        RuntimeClient.start(
            o -> {
              TestModels.addFlaky(o, "flaky");
              o.put("bus.processors.standard-processor.model", "flaky");
              o.put("bus.max_attempts", 3);
              o.put("bus.retry_base", "1s");
            });
    String id = submit(1);
    JsonNode status = awaitFinished(id);
    assertEquals("failed", status.path("status").asText());
    assertEquals(3, status.path("attempts").asInt());
    assertEquals("MAX_RETRIES_EXCEEDED", status.path("error").path("code").asText());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> client.get("/events/dead-letters").data().path("messages").size() == 1);
    String letter =
        client.get("/events/dead-letters").data().path("messages").get(0).path("body").asText();
    assertTrue(letter.contains(id) && letter.contains("standard-processor"), letter);
    String trail = client.get("/requests/" + id).data().path("trail").toString();
    assertTrue(trail.contains("\"to\":\"retrying\""), trail);
  }
}
