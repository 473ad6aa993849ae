package io.promptway.runtime.bus;

import java.time.Instant;

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
    String event,
    Instant at) {

  public enum Kind {
    PUBLISHED,
    UNMATCHED,
    MATCHED,
    DELIVERED,
    FAILED,
    DEAD_LETTERED
  }
}
