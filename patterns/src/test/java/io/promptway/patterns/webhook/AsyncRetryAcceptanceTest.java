package io.promptway.patterns.webhook;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.patterns.support.RuntimeClient;
import io.promptway.patterns.support.ScriptedProvider;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.webhook.CallbackReceiver;
import java.time.Duration;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Retry behaviour of the async workers against an upstream provider whose answers are scripted. */
class AsyncRetryAcceptanceTest {

  private JsonNode run(IntFunction<Integer> script, ScriptedProviderCheck check) throws Exception {
    try (ScriptedProvider provider = new ScriptedProvider(script);
        CallbackReceiver receiver = new CallbackReceiver();
        RuntimeClient client =
            RuntimeClient.start(
                o -> {
                  o.put("llm.upstream", provider.base());
                  o.put("async.retry_base", "2s");
                })) {
      var reply =
          client.post(
              "/async/requests",
              "{'prompt':'hello','model':'instant','callback_url':'" + receiver.url("/h") + "'}");
      String id = reply.data().path("request_id").asText();
      await().atMost(Duration.ofSeconds(20)).until(() -> receiver.calls().size() == 1);
      JsonNode status = client.get("/async/requests/" + id).data();
      check.verify(
          provider,
          Json.mapper().readTree(receiver.calls().get(0).body()),
          status,
          client.get("/requests/" + id).data().path("trail").toString());
      return status;
    }
  }

  interface ScriptedProviderCheck {
    void verify(ScriptedProvider provider, JsonNode webhook, JsonNode status, String trail);
  }

  @Test
  void retriesARetryableFailureAfterABackoffAndThenCompletes() throws Exception {
    run(
        n -> n == 1 ? 503 : 200,
        (provider, hook, status, trail) -> {
          assertEquals("request.completed", hook.path("type").asText());
          assertEquals("completed", status.path("status").asText());
          assertEquals(2, status.path("attempts").asInt(), trail);
          assertEquals("Scripted answer.", status.path("result").path("text").asText());
          assertTrue(trail.contains("attempt 1/3 failed"), trail);
          assertTrue(trail.contains("\"to\":\"retrying\""), trail);
          assertEquals(2, provider.calls());
        });
  }

  @Test
  void honoursRateLimitsAsRetryable() throws Exception {
    run(
        n -> n < 3 ? 429 : 200,
        (provider, hook, status, trail) -> {
          assertEquals("completed", status.path("status").asText(), trail);
          assertEquals(3, status.path("attempts").asInt());
        });
  }

  @Test
  void failsAPermanentErrorAtOnceWithoutRetrying() throws Exception {
    run(
        n -> 401,
        (provider, hook, status, trail) -> {
          assertEquals("request.failed", hook.path("type").asText());
          assertEquals("failed", status.path("status").asText());
          assertEquals(1, status.path("attempts").asInt());
          assertTrue(status.path("error").path("message").asText().startsWith("permanent failure"));
          assertEquals(1, provider.calls());
        });
  }
}
