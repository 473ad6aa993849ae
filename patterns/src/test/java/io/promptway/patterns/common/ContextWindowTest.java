package io.promptway.patterns.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.patterns.support.RuntimeClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A call past the model's context window reaches the pattern's caller as the provider's refusal (a
 * 400 {@code MODEL_REJECTED} naming the window), whether the function called over HTTP or in
 * process, never as a server error.
 */
class ContextWindowTest {
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aPromptPastTheContextWindowIsA400ModelRejected(boolean overHttp) {
    try (RuntimeClient client =
        RuntimeClient.start(
            o -> {
              o.put("llm.models.instant.context_window", 100);
              o.put("llm.sync_over_http", overHttp);
            })) {
      var reply =
          client.post(
              "/sync/generate", "{'prompt':'Say hello','model':'instant','max_tokens':200}");
      assertEquals(400, reply.status(), reply.json().toString());
      assertEquals("MODEL_REJECTED", reply.json().at("/error/code").asText());
      assertTrue(
          reply.json().at("/error/message").asText().contains("maximum context length is 100"),
          reply.json().toString());
    }
  }

  @Test
  void aPromptThatFitsIsAnswered() {
    try (RuntimeClient client =
        RuntimeClient.start(o -> o.put("llm.models.instant.context_window", 100))) {
      var reply =
          client.post("/sync/generate", "{'prompt':'Say hello','model':'instant','max_tokens':50}");
      assertEquals(200, reply.status(), reply.json().toString());
    }
  }
}
