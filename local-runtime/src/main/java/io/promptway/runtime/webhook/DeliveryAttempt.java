package io.promptway.runtime.webhook;

import java.time.Instant;

/**
 * One try at delivering a webhook: the receiver's status code (null when the call failed before a
 * response), how long it took, and when the next try is due (null when none will follow).
 */
public record DeliveryAttempt(
    String webhookId,
    int attempt,
    Instant at,
    Integer statusCode,
    String error,
    double durationMs,
    Instant nextAttemptAt) {}
