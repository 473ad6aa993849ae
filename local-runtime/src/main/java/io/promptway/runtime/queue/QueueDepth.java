package io.promptway.runtime.queue;

/** Approximate counts, as SQS reports them: visible, in flight (received, not deleted), delayed. */
public record QueueDepth(long visible, long inFlight) {
  public long total() {
    return visible + inFlight;
  }
}
