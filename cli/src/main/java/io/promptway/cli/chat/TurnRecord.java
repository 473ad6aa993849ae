package io.promptway.cli.chat;

import java.util.Map;

/** One finished (or cancelled) turn as the transcript, /stats and /cost see it. */
public record TurnRecord(
    int number,
    String pattern,
    String model,
    String requestId,
    String prompt,
    String reply,
    boolean cancelled,
    long promptTokens,
    TurnTiming timing,
    Cost cost) {

  /** The metered cost of the turn in USD, by component (gateway, function, state, llm, ...). */
  public record Cost(double totalUsd, Map<String, Double> byComponent) {
    public Cost {
      byComponent = Map.copyOf(byComponent);
    }
  }
}
