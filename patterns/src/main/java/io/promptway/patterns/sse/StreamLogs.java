package io.promptway.patterns.sse;

import io.promptway.runtime.clock.SimulatedClock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The event logs of streamed generations, by request id, each kept for a retention window
 * (simulated time) after it finishes so a dropped client can resume. Models a stream buffer such as
 * a Redis stream or a DynamoDB table with TTL; does not model its cost or size limits.
 */
public final class StreamLogs {
  private final SimulatedClock clock;
  private final long retentionNanos;
  private final ConcurrentHashMap<String, EventLog> logs = new ConcurrentHashMap<>();

  public StreamLogs(SimulatedClock clock, Duration retention) {
    this.clock = clock;
    this.retentionNanos = retention.toNanos();
  }

  public EventLog open(String requestId) {
    EventLog log = new EventLog(requestId);
    if (logs.putIfAbsent(requestId, log) != null) {
      throw new IllegalStateException("a stream for " + requestId + " already exists");
    }
    return log;
  }

  /** The log of {@code requestId}, unless it never existed or its retention window has passed. */
  public Optional<EventLog> find(String requestId) {
    EventLog log = logs.get(requestId);
    if (log == null) return Optional.empty();
    if (log.expired(clock.nanos(), retentionNanos)) {
      logs.remove(requestId, log);
      return Optional.empty();
    }
    return Optional.of(log);
  }

  /** Forgets a stream that never started. */
  public void discard(String requestId) {
    logs.remove(requestId);
  }

  /** Drops every log whose retention window has passed; returns how many. */
  public int evictExpired() {
    long now = clock.nanos();
    int before = logs.size();
    logs.values().removeIf(log -> log.expired(now, retentionNanos));
    return before - logs.size();
  }

  public int size() {
    return logs.size();
  }

  /** Streams still generating (for the open-streams gauge); a scan, so for scrapes only. */
  public long openCount() {
    return logs.values().stream().filter(log -> !log.finished()).count();
  }
}
