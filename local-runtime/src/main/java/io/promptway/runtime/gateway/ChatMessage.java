package io.promptway.runtime.gateway;

/** One turn of a conversation, as in the OpenAI chat format. */
public record ChatMessage(String role, String content) {
  public static ChatMessage user(String content) {
    return new ChatMessage("user", content);
  }

  public static ChatMessage assistant(String content) {
    return new ChatMessage("assistant", content);
  }
}
