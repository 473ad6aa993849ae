package io.promptway.cli.chat;

import java.util.Map;

/**
 * What the runtime reported about a finished turn: the reply, the token usage and the metered cost
 * by component. Cost fields are zero when the pattern did not report them (a cancelled turn).
 */
public record TurnResult(
    String requestId,
    String text,
    String finishReason,
    long promptTokens,
    long completionTokens,
    double costUsd,
    Map<String, Double> costByComponent,
    boolean cancelled) {
  public TurnResult {
    costByComponent = Map.copyOf(costByComponent);
  }

  /** The same turn priced at {@code usd}, broken down as {@code byComponent}. */
  public TurnResult withCost(double usd, Map<String, Double> byComponent) {
    return new TurnResult(
        requestId, text, finishReason, promptTokens, completionTokens, usd, byComponent, cancelled);
  }

  /** The same turn with the prompt tokens the runtime recorded (and billed) for it. */
  public TurnResult withPromptTokens(long tokens) {
    return new TurnResult(
        requestId,
        text,
        finishReason,
        tokens,
        completionTokens,
        costUsd,
        costByComponent,
        cancelled);
  }

  public static TurnResult cancelled(String requestId) {
    return new TurnResult(requestId, "", "cancelled", 0, 0, 0, Map.of(), true);
  }
}
