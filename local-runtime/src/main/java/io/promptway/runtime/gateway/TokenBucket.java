package io.promptway.runtime.gateway;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A token bucket (steady refill rate, burst capacity) kept as one theoretical arrival time in an
 * {@link AtomicLong} (the generic cell rate algorithm): admitting a request is one compare-and-set,
 * with no lock and no allocation beyond the returned probe. Time is simulated nanoseconds from the
 * supplied source, normally {@code SimulatedClock::nanos}.
 *
 * <p>Models the platform's steady-state/burst throttle; it does not model the platform's
 * best-effort leniency (the real service may admit slightly more than the configured limit).
 */
public final class TokenBucket {
  private final double steadyRps;
  private final int burst;
  private final long intervalNanos;
  private final long capacityNanos;
  private final LongSupplier nanos;
  private final AtomicLong theoreticalArrival;

  public TokenBucket(double steadyRps, int burst, LongSupplier nanos) {
    if (!(steadyRps > 0) || Double.isInfinite(steadyRps)) {
      throw new IllegalArgumentException("steady rate must be a positive number, got " + steadyRps);
    }
    if (burst < 1) throw new IllegalArgumentException("burst must be at least 1, got " + burst);
    this.steadyRps = steadyRps;
    this.burst = burst;
    this.intervalNanos = Math.max(1, Math.round(1_000_000_000.0 / steadyRps));
    this.capacityNanos = intervalNanos * burst;
    this.nanos = nanos;
    this.theoreticalArrival = new AtomicLong(nanos.getAsLong());
  }

  public double steadyRps() {
    return steadyRps;
  }

  public int burst() {
    return burst;
  }

  /** Takes one token if there is one. */
  public Probe tryAcquire() {
    while (true) {
      long now = nanos.getAsLong();
      long tat = theoreticalArrival.get();
      long base = Math.max(tat, now);
      long next = base + intervalNanos;
      if (next - now > capacityNanos) {
        return new Probe(false, 0, base - now, next - now - capacityNanos);
      }
      if (theoreticalArrival.compareAndSet(tat, next)) {
        int remaining = (int) ((capacityNanos - (next - now)) / intervalNanos);
        return new Probe(true, remaining, next - now, 0);
      }
    }
  }

  /** Gives back the token of a request admitted here but refused further on. */
  public void release() {
    theoreticalArrival.addAndGet(-intervalNanos);
  }

  /** Tokens available now, without taking one. */
  public int available() {
    long now = nanos.getAsLong();
    long used = Math.max(theoreticalArrival.get(), now) - now;
    return (int) ((capacityNanos - used) / intervalNanos);
  }

  /**
   * The outcome of one attempt.
   *
   * @param remaining whole tokens left after this request
   * @param resetNanos simulated nanoseconds until the bucket is full again
   * @param retryAfterNanos simulated nanoseconds until a refused request would be admitted
   */
  public record Probe(boolean admitted, int remaining, long resetNanos, long retryAfterNanos) {}
}
