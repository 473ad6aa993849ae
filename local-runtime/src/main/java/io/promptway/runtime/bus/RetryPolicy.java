package io.promptway.runtime.bus;

import io.promptway.runtime.config.RuntimeConfig;
import java.time.Duration;

/**
 * How a target's failed deliveries are retried: exponential backoff from {@code base} capped at
 * {@code max}, with full jitter, until {@code maxAttempts} or {@code maxEventAge} is reached.
 */
public record RetryPolicy(int maxAttempts, Duration maxEventAge, Duration base, Duration max) {
  public RetryPolicy {
    if (maxAttempts < 1 || maxAttempts > 186)
      throw new IllegalArgumentException("bus.max_attempts must be 1-186");
  }

  public static RetryPolicy of(RuntimeConfig.Bus bus) {
    return new RetryPolicy(bus.maxAttempts(), bus.maxEventAge(), bus.retryBase(), bus.retryMax());
  }

  /**
   * The delay before attempt {@code next} (2 or later), given a uniform random number in [0, 1).
   */
  public Duration delayBefore(int next, double random) {
    double ceiling = Math.min(max.toNanos(), base.toNanos() * Math.pow(2, next - 2));
    return Duration.ofNanos((long) (ceiling / 2 + ceiling / 2 * random));
  }
}
