package io.promptway.runtime.webhook;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;

/**
 * One webhook message and where its delivery stands. The id is the {@code webhook-id} header and
 * stays the same on every attempt, so a receiver can drop duplicates.
 */
public record WebhookDelivery(
    String id,
    String requestId,
    String url,
    String eventType,
    Status status,
    int attempts,
    Instant createdAt,
    Instant nextAttemptAt,
    Integer lastStatusCode,
    String lastError) {

  public enum Status {
    PENDING,
    DELIVERED,
    /** Every attempt failed, or the endpoint is gone: kept in the dead-letter list. */
    DEAD;

    /** In lower case on the wire, as every other status the runtime shows. */
    @JsonValue
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
