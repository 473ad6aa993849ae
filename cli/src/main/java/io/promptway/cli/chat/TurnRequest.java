package io.promptway.cli.chat;

import io.promptway.runtime.gateway.ChatMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * One user turn: the new prompt, the conversation before it (kept client-side so any pattern can
 * carry the context), and the model to ask.
 */
public record TurnRequest(String prompt, List<ChatMessage> history, String model) {
  public TurnRequest {
    history = List.copyOf(history);
  }

  /** The whole conversation including this prompt, as stateless patterns send it. */
  public List<ChatMessage> messages() {
    List<ChatMessage> all = new ArrayList<>(history);
    all.add(ChatMessage.user(prompt));
    return all;
  }
}
