package io.promptway.patterns.webhook;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.patterns.RuntimeFixture;
import io.promptway.patterns.support.RuntimeClient;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.webhook.CallbackReceiver;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worker's invocation is bounded by the function's maximum duration (10 s, model 60 s). */
class AsyncFunctionTimeoutAcceptanceTest {
  private static final String STOPPED =
      "the function ran past its maximum duration of 10s and was stopped";

  @Test
  void aWorkerPastItsMaximumDurationFailsTheAttemptRetriesItAndBillsTheMaximum() throws Exception {
    try (CallbackReceiver receiver = new CallbackReceiver();
        RuntimeClient client =
            RuntimeClient.start(
                o -> {
                  o.put("time_scale", 10); // 1 s real: room for accepting the request when cold
                  o.put("function.max_duration", "10s");
                  o.put("async.max_attempts", 2);
                  o.put("async.retry_base", "1s");
                  o.put("llm.models.slow", RuntimeFixture.model("60s", "10ms", 20, null));
                  o.put("prices.llm.slow", Map.of("input", 1.0, "output", 2.0));
                })) {
      var reply =
          client.post(
              "/async/requests",
              "{'prompt':'take your time','model':'slow','callback_url':'"
                  + receiver.url("/h")
                  + "'}");
      assertEquals(202, reply.status(), reply.json().toString());
      String id = reply.data().path("request_id").asText();
      await().atMost(Duration.ofSeconds(20)).until(() -> receiver.calls().size() == 1);

      JsonNode hook = Json.mapper().readTree(receiver.calls().get(0).body());
      assertEquals("request.failed", hook.path("type").asText());
      JsonNode status = client.get("/async/requests/" + id).data();
      assertEquals("failed", status.path("status").asText());
      assertEquals(2, status.path("attempts").asInt());
      assertEquals("MAX_RETRIES_EXCEEDED", status.path("error").path("code").asText());
      assertEquals(
          "max retries exceeded after 2 attempts; last error: " + STOPPED,
          status.path("error").path("message").asText());
      String trail = client.get("/requests/" + id).data().path("trail").toString();
      assertTrue(trail.contains("attempt 1/2 failed (FUNCTION_TIMEOUT): " + STOPPED), trail);

      // each attempt's invocation is billed the whole 10 s at 1 GB
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> invocationsBilledTheMaximum(client, id) == 2);
    }
  }

  private static long invocationsBilledTheMaximum(RuntimeClient client, String id) {
    long n = 0;
    for (JsonNode row : client.get("/requests/" + id).data().path("meter")) {
      if (row.path("unit").asText().equals("function.gb_second")
          && Math.abs(row.path("quantity").asDouble() - 10.0) < 1e-9) n++;
    }
    return n;
  }
}
