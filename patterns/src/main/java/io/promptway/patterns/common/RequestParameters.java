package io.promptway.patterns.common;

import io.promptway.runtime.gateway.GenerationRequest;
import io.promptway.runtime.store.NewRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/** The parameters of a request as kept in its state row (prompts themselves are not stored). */
public final class RequestParameters {
  private RequestParameters() {}

  public static NewRequest newRequest(
      String id, String pattern, GenerationRequest g, String caller) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("max_tokens", g.maxTokens());
    p.put("temperature", g.temperature());
    p.put("priority", g.priority());
    p.put("user_tier", g.userTier());
    p.put("messages", g.messages().size());
    if (g.conversationId() != null) p.put("conversation_id", g.conversationId());
    if (g.mode() != null) p.put("mode", g.mode());
    if (g.callbackUrl() != null) p.put("callback_url", g.callbackUrl());
    if (g.stream()) p.put("stream", true);
    return new NewRequest(id, pattern, g.model(), caller, p, g.promptChars());
  }
}
