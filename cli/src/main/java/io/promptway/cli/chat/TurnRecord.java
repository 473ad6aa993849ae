package io.promptway.cli.chat;

import java.util.Map;

/**
 * One finished (cancelled, or failed) turn as the transcript, /stats and /cost see it.
 *
 * @param onServer for a cancelled turn, what became of its request on the server; else null
 * @param error for a failed turn, why; else null. A failed request is billed all the same
 */
public record TurnRecord(
    int number,
    String pattern,
    String model,
    String requestId,
    String prompt,
    String reply,
    boolean cancelled,
    String onServer,
    String error,
    long promptTokens,
    TurnTiming timing,
    Cost cost) {

  /** Whether the turn ran to its reply: only those join the conversation. */
  public boolean completed() {
    return !cancelled && error == null;
  }

  /**
   * The metered cost of the turn in USD, by component (gateway, function, state, llm, ...).
   *
   * @param soFar true when the request was still running, and billed, when the chat read the cost
   */
  public record Cost(double totalUsd, Map<String, Double> byComponent, boolean soFar) {
    public Cost {
      byComponent = Map.copyOf(byComponent);
    }
  }
}
