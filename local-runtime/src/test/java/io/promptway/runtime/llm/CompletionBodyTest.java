package io.promptway.runtime.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.helidon.webserver.WebServer;
import io.promptway.runtime.gateway.ChatMessage;
import io.promptway.runtime.testing.LoopbackRoute;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the client reads a provider's non-streaming answer: the fields it needs, and no more. */
class CompletionBodyTest {
  private final AtomicReference<String> body = new AtomicReference<>();
  private final WebServer provider =
      LoopbackRoute.post(
          "/v1/chat/completions",
          (req, res) -> {
            req.content().consume();
            res.header("Content-Type", "application/json").send(body.get());
          });
  private final LlmClient llm =
      new LlmClient(() -> URI.create("http://127.0.0.1:" + provider.port() + "/v1/"));

  @AfterEach
  void stop() {
    provider.stop();
  }

  private LlmClient.Completion answer(String json) {
    body.set(json);
    return llm.completeOverHttp(
        new LlmClient.Call(
            "r1",
            "sync",
            "instant",
            List.of(new ChatMessage("user", "hi")),
            16,
            0.7,
            Duration.ofSeconds(30),
            null));
  }

  @Test
  void readsTextUsageAndFinishReasonAndSkipsFieldsItDoesNotKnow() {
    var c =
        answer(
            """
            {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m",
             "system_fingerprint":"fp","choices":[{"index":0,"logprobs":null,
             "message":{"role":"assistant","content":"Queues absorb bursts.","refusal":null},
             "finish_reason":"length"}],
             "usage":{"prompt_tokens":12,"completion_tokens":4,"total_tokens":16,
             "completion_tokens_details":{"reasoning_tokens":0}}}""");

    assertEquals(new LlmClient.Completion("Queues absorb bursts.", 12, 4, "length"), c);
  }

  @Test
  void onlyTheFirstChoiceIsReadAndUsageNumbersMayBeStrings() {
    var c =
        answer(
            """
            {"choices":[{"message":{"content":"first","tool_calls":[{"id":"t"}]},
             "finish_reason":"stop"},{"message":{"content":"second"},"finish_reason":"length"}],
             "usage":{"prompt_tokens":"9","completion_tokens":3}}""");

    assertEquals(new LlmClient.Completion("first", 9, 3, "stop"), c);
  }

  @Test
  void aMissingContentUsageOrFinishReasonReadsAsEmptyZeroAndStop() {
    assertEquals(
        new LlmClient.Completion("", 0, 0, "stop"),
        answer("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":null}}]}"));
    assertEquals(new LlmClient.Completion("", 0, 0, "stop"), answer("{\"choices\":[]}"));
  }

  @Test
  void aBodyThatIsNotACompletionIsABadUpstreamResponse() {
    for (String bad :
        List.of(
            "not json",
            "[]",
            "{\"choices\":{\"text\":1}}",
            "{\"choices\":[1]}",
            "{\"choices\":[{\"message\":{\"content\":7}}]}",
            "{\"choices\":[{\"message\":{\"content\":\"cut")) {
      LlmCallException e = assertThrows(LlmCallException.class, () -> answer(bad), bad);
      assertEquals(502, e.status(), bad);
      assertEquals("BAD_UPSTREAM_RESPONSE", e.code(), bad);
    }
  }
}
