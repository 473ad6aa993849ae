package io.promptway.scenarios.workload;

/**
 * One request of the seeded sequence, identical for every pattern: when to send it (simulated
 * nanoseconds from the start) and what to send.
 */
public record PlannedRequest(
    int index,
    long atSimNanos,
    String requestClass,
    String prompt,
    int promptTokens,
    int maxTokens,
    boolean interactive,
    String userTier,
    int priority,
    String callback,
    double pollIntervalMs,
    boolean callbackFails) {}
