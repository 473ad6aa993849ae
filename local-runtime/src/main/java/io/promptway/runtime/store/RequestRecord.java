package io.promptway.runtime.store;

import java.time.Instant;
import java.util.Map;

/** One request's row: its current state, usage and cost; the trail is kept separately. */
public record RequestRecord(
    String id,
    String pattern,
    String model,
    String caller,
    RequestStatus status,
    Map<String, Object> parameters,
    int promptChars,
    Instant createdAt,
    Instant updatedAt,
    Instant completedAt,
    Instant expiresAt,
    int promptTokens,
    int completionTokens,
    Integer clientStatus,
    int attempts,
    String errorCode,
    String errorMessage,
    String result,
    long version) {}
