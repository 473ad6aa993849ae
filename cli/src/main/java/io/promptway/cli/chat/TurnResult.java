package io.promptway.cli.chat;

import java.util.Map;

/**
 * What the runtime reported about a finished turn: the reply, the token usage and the metered cost
 * by component. Cost fields are zero when the pattern did not report them (a cancelled turn).
 *
 * @param answeredBy the model that answered and was billed when the runtime chose another than the
 *     one asked for (the event bus's processors do), else null
 */
public record TurnResult(
    String requestId,
    String text,
    String finishReason,
    long promptTokens,
    long completionTokens,
    double costUsd,
    Map<String, Double> costByComponent,
    boolean cancelled,
    String answeredBy) {
  public TurnResult {
    costByComponent = Map.copyOf(costByComponent);
  }

  public TurnResult(
      String requestId,
      String text,
      String finishReason,
      long promptTokens,
      long completionTokens,
      double costUsd,
      Map<String, Double> costByComponent,
      boolean cancelled) {
    this(
        requestId,
        text,
        finishReason,
        promptTokens,
        completionTokens,
        costUsd,
        costByComponent,
        cancelled,
        null);
  }

  /** The same turn priced at {@code usd}, broken down as {@code byComponent}. */
  public TurnResult withCost(double usd, Map<String, Double> byComponent) {
    return new TurnResult(
        requestId,
        text,
        finishReason,
        promptTokens,
        completionTokens,
        usd,
        byComponent,
        cancelled,
        answeredBy);
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
        cancelled,
        answeredBy);
  }

  /** The same turn, answered and billed by {@code model} (null: the one asked for). */
  public TurnResult withAnsweredBy(String model) {
    return new TurnResult(
        requestId,
        text,
        finishReason,
        promptTokens,
        completionTokens,
        costUsd,
        costByComponent,
        cancelled,
        model);
  }

  public static TurnResult cancelled(String requestId) {
    return new TurnResult(requestId, "", "cancelled", 0, 0, 0, Map.of(), true);
  }
}
