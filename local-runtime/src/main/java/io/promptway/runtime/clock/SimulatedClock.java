package io.promptway.runtime.clock;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The one clock of the runtime. At time scale N, N simulated seconds pass per real second; every
 * delay, limit and bill in the runtime is expressed in simulated time and converted here.
 *
 * <p>Simulated time starts at the real wall-clock instant the clock was created, so timestamps stay
 * readable, and runs ahead of it by the scale factor.
 */
public final class SimulatedClock {
  private final double scale;
  private final Instant origin;
  private final long originNanos;

  public SimulatedClock(double scale) {
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("time scale must be a positive number, got " + scale);
    }
    this.scale = scale;
    this.origin = Instant.now();
    this.originNanos = System.nanoTime();
  }

  public static SimulatedClock realTime() {
    return new SimulatedClock(1.0);
  }

  public double scale() {
    return scale;
  }

  /** Simulated nanoseconds since the clock started; monotonic. */
  public long nanos() {
    return (long) ((System.nanoTime() - originNanos) * scale);
  }

  /** Simulated milliseconds since the clock started, with sub-millisecond precision. */
  public double millis() {
    return nanos() / 1_000_000.0;
  }

  /** The current simulated wall-clock instant. */
  public Instant now() {
    return origin.plusNanos(nanos());
  }

  /**
   * The real wall-clock instant, for what is checked against clocks outside the simulation (a
   * webhook's signed timestamp, which receivers compare with their own clock).
   */
  public Instant realNow() {
    return origin.plusNanos(System.nanoTime() - originNanos);
  }

  /** Sleeps for a simulated duration (real duration divided by the scale). */
  public void sleep(Duration simulated) throws InterruptedException {
    long realNanos = toRealNanos(simulated);
    if (realNanos > 0) {
      TimeUnit.NANOSECONDS.sleep(realNanos);
    }
  }

  /**
   * Sleeps until the clock reads {@code simulatedNanos} (as returned by {@link #nanos()}); returns
   * at once if it already has. A sequence of waits planned as offsets from one start should sleep
   * to each absolute instant: a chain of relative sleeps adds each sleep's real overshoot and the
   * work between them, and at time scale N every real millisecond of that becomes N simulated ones.
   */
  public void sleepUntil(long simulatedNanos) throws InterruptedException {
    long realNanos = originNanos + (long) Math.ceil(simulatedNanos / scale) - System.nanoTime();
    if (realNanos > 0) {
      TimeUnit.NANOSECONDS.sleep(realNanos);
    }
  }

  /**
   * The real nanoseconds a simulated duration takes; saturates at {@link Long#MAX_VALUE} (or MIN)
   * rather than overflowing, since durations can come from outside, as a receiver's Retry-After.
   */
  public long toRealNanos(Duration simulated) {
    // a double cast to long saturates; Duration.toNanos() would throw beyond 292 years
    return (long) ((simulated.getSeconds() * 1e9 + simulated.getNano()) / scale);
  }

  public Duration toReal(Duration simulated) {
    return Duration.ofNanos(toRealNanos(simulated));
  }

  public Duration toSimulated(Duration real) {
    return Duration.ofNanos((long) (real.toNanos() * scale));
  }
}
