package io.promptway.runtime.gateway;

import java.util.List;

/**
 * A validated generation request, common to all patterns, with defaults applied. {@code messages}
 * always holds the conversation sent to the model (a bare {@code prompt} becomes one user message).
 */
public record GenerationRequest(
    List<ChatMessage> messages,
    String model,
    int maxTokens,
    double temperature,
    String callbackUrl,
    int priority,
    String userTier,
    String conversationId,
    String mode,
    boolean stream) {

  public GenerationRequest {
    messages = List.copyOf(messages);
  }

  public int promptChars() {
    int n = 0;
    for (ChatMessage m : messages) n += m.content().length();
    return n;
  }

  public GenerationRequest withMessages(List<ChatMessage> newMessages) {
    return new GenerationRequest(
        newMessages,
        model,
        maxTokens,
        temperature,
        callbackUrl,
        priority,
        userTier,
        conversationId,
        mode,
        stream);
  }

  public GenerationRequest withModel(String newModel) {
    return new GenerationRequest(
        messages,
        newModel,
        maxTokens,
        temperature,
        callbackUrl,
        priority,
        userTier,
        conversationId,
        mode,
        stream);
  }
}
