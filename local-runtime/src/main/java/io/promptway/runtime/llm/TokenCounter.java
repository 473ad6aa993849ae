package io.promptway.runtime.llm;

import io.promptway.runtime.gateway.ChatMessage;
import java.util.List;

/**
 * Counts prompt tokens the way chat models roughly do: characters divided by the model's
 * characters-per-token, plus a small per-message overhead for roles and separators. Not a real
 * tokenizer; close enough for cost and context-length modelling.
 */
public final class TokenCounter {
  private static final int PER_MESSAGE = 4;
  private static final int PER_REQUEST = 3;

  private TokenCounter() {}

  public static int promptTokens(List<ChatMessage> messages, double charsPerToken) {
    int tokens = PER_REQUEST;
    for (ChatMessage m : messages) {
      tokens +=
          PER_MESSAGE
              + (int)
                  Math.ceil(m.content().codePointCount(0, m.content().length()) / charsPerToken);
    }
    return tokens;
  }
}
