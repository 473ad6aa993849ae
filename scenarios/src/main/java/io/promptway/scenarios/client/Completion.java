package io.promptway.scenarios.client;

import java.util.Map;

/**
 * A finished generation as the client received it. {@code servedBy} is the pattern that actually
 * served it (differs from the requested one only for the hybrid router); {@code reconnects} counts
 * stream resumptions; {@code costByComponent} is the runtime's metered cost of the request as the
 * response reported it (empty when it did not).
 */
public record Completion(
    String requestId,
    String text,
    String finishReason,
    int promptTokens,
    int completionTokens,
    double costUsd,
    String servedBy,
    int reconnects,
    Map<String, Double> costByComponent) {

  public Completion {
    costByComponent = costByComponent == null ? Map.of() : Map.copyOf(costByComponent);
  }

  public Completion withServedBy(String pattern, int resumed) {
    return new Completion(
        requestId,
        text,
        finishReason,
        promptTokens,
        completionTokens,
        costUsd,
        pattern,
        resumed,
        costByComponent);
  }
}
