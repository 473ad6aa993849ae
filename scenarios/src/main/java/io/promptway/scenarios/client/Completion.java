package io.promptway.scenarios.client;

/**
 * A finished generation as the client received it. {@code servedBy} is the pattern that actually
 * served it (differs from the requested one only for the hybrid router); {@code reconnects} counts
 * stream resumptions.
 */
public record Completion(
    String requestId,
    String text,
    String finishReason,
    int promptTokens,
    int completionTokens,
    double costUsd,
    String servedBy,
    int reconnects) {}
