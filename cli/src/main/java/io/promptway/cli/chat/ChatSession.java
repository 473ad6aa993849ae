package io.promptway.cli.chat;

import io.promptway.runtime.gateway.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The client-side state of a chat: the current pattern and model, the conversation (kept here so a
 * pattern switch keeps the context), every turn's record, and the runtime's time scale (turn
 * timings are in its simulated time).
 */
public final class ChatSession {
  private final double timeScale;
  private String pattern;
  private String model;
  private final List<ChatMessage> conversation = new ArrayList<>();
  private final List<TurnRecord> turns = new ArrayList<>();

  public ChatSession(String pattern, String model) {
    this(pattern, model, 1);
  }

  /**
   * @param timeScale the runtime's simulated seconds per real second
   */
  public ChatSession(String pattern, String model, double timeScale) {
    this.pattern = pattern;
    this.model = model;
    this.timeScale = timeScale;
  }

  public double timeScale() {
    return timeScale;
  }

  public String pattern() {
    return pattern;
  }

  public void pattern(String name) {
    this.pattern = name;
  }

  public String model() {
    return model;
  }

  public void model(String name) {
    this.model = name;
  }

  public List<ChatMessage> conversation() {
    return List.copyOf(conversation);
  }

  public List<TurnRecord> turns() {
    return List.copyOf(turns);
  }

  public int nextTurnNumber() {
    return turns.size() + 1;
  }

  /** Records the turn; only a completed turn joins the conversation context. */
  public void record(TurnRecord turn) {
    turns.add(turn);
    if (turn.completed()) {
      conversation.add(ChatMessage.user(turn.prompt()));
      conversation.add(ChatMessage.assistant(turn.reply()));
    }
  }

  /** Forgets the conversation context; turn records (and so /stats and /cost) stay. */
  public void clearConversation() {
    conversation.clear();
  }

  public Map<String, Double> costByComponent() {
    Map<String, Double> totals = new TreeMap<>();
    for (TurnRecord turn : turns) {
      turn.cost().byComponent().forEach((k, v) -> totals.merge(k, v, Double::sum));
    }
    return totals;
  }

  public double totalCostUsd() {
    return turns.stream().mapToDouble(t -> t.cost().totalUsd()).sum();
  }
}
