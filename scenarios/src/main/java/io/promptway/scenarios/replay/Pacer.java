package io.promptway.scenarios.replay;

import java.util.concurrent.locks.LockSupport;

/**
 * Waits until an intended {@link System#nanoTime()} instant: parks until shortly before it and
 * spins the last stretch, because parking alone overshoots by tens of microseconds.
 */
public final class Pacer {
  private final long spinNanos;

  public Pacer(long spinNanos) {
    this.spinNanos = spinNanos;
  }

  public Pacer() {
    this(100_000);
  }

  /** Returns how late (ns, never negative) the caller is relative to {@code deadline}. */
  public long sleepUntil(long deadline) {
    while (true) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) return -remaining;
      if (remaining > spinNanos) {
        LockSupport.parkNanos(remaining - spinNanos);
      } else {
        Thread.onSpinWait();
      }
    }
  }
}
