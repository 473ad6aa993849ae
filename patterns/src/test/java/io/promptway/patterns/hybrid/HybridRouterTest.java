package io.promptway.patterns.hybrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.runtime.config.ConfigLoader;
import io.promptway.runtime.gateway.ChatMessage;
import io.promptway.runtime.gateway.GenerationRequest;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HybridRouterTest {
  private final HybridRouter router = new HybridRouter(new ConfigLoader().defaults().hybrid());

  private static GenerationRequest request(
      int promptChars,
      int maxTokens,
      String tier,
      String mode,
      boolean stream,
      String conversation) {
    return new GenerationRequest(
        List.of(ChatMessage.user("x".repeat(promptChars))),
        "instant",
        maxTokens,
        0.7,
        null,
        5,
        tier,
        conversation,
        mode.isEmpty() ? null : mode,
        stream);
  }

  @ParameterizedTest(name = "{0} chars, max_tokens {1}, {2}, mode {3}, stream {4}, conv {5} -> {6}")
  @CsvSource({
    // chars, max_tokens, tier, mode, stream, conversation, pattern, url, reason contains
    "100,  256,  premium,    '',     false, '',   sync,      '',             quick request",
    "100,  256,  enterprise, '',     false, '',   sync,      '',             enterprise tier",
    "100,  256,  standard,   '',     false, '',   async,     '',             standard request",
    "100,  256,  free,       '',     false, '',   async,     '',             standard request",
    "600,  256,  premium,    '',     false, '',   async,     '',             standard request",
    "5000, 256,  premium,    '',     false, '',   async,     '',             long prompt",
    "100,  3000, premium,    '',     false, '',   async,     '',             long output",
    "100,  256,  free,       '',     true,  '',   sse,       /sse/generate,  stream requested",
    "100,  256,  free,       '',     true,  c1,   websocket, /ws/chat,       conversation c1",
    "5000, 256,  free,       sync,   false, '',   sync,      '',             mode sync",
    "100,  256,  premium,    async,  false, '',   async,     '',             mode async",
    "100,  256,  premium,    stream, false, '',   sse,       /sse/generate,  mode stream",
    "100,  256,  premium,    events, false, '',   events,    /events/requests, mode events",
    "100,  256,  premium,    auto,   false, '',   sync,      '',             quick request",
  })
  void routesByModeStreamLengthAndTier(
      int chars,
      int maxTokens,
      String tier,
      String mode,
      boolean stream,
      String conversation,
      String pattern,
      String url,
      String reason) {
    Route r =
        router.route(
            request(
                chars,
                maxTokens,
                tier,
                mode,
                stream,
                conversation.isEmpty() ? null : conversation));
    assertEquals(pattern, r.pattern());
    assertEquals(url.isEmpty() ? null : url, r.url());
    assertTrue(r.reason().contains(reason), r.reason());
  }
}
