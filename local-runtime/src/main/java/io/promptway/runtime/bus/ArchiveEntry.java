package io.promptway.runtime.bus;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;

/**
 * One line of the bus's audit archive: an event published (with its JSON), a rule matched, or a
 * delivery to a target succeeding, failing (with when it is retried), or going to the dead-letter
 * queue.
 */
public record ArchiveEntry(
    long seq,
    String eventId,
    String requestId,
    Kind kind,
    String rule,
    String target,
    Integer attempt,
    String detail,
    @JsonRawValue String event,
    Instant at) {

  public enum Kind {
    PUBLISHED,
    UNMATCHED,
    MATCHED,
    DELIVERED,
    FAILED,
    DEAD_LETTERED;

    /** In lower case on the wire, as every other status the runtime shows. */
    @JsonValue
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
