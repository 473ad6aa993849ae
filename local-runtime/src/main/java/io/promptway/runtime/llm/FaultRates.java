package io.promptway.runtime.llm;

import java.time.Duration;

/**
 * How often a model misbehaves, each a probability per request: 429 with Retry-After, 500, 503, a
 * stall (a long silence mid-stream) and a stream dropped part-way.
 */
public record FaultRates(
    double rateLimited,
    double serverError,
    double unavailable,
    double stall,
    double streamDrop,
    Duration retryAfter,
    Duration stallDuration) {

  public static final FaultRates NONE =
      new FaultRates(0, 0, 0, 0, 0, Duration.ofSeconds(1), Duration.ofSeconds(10));

  public FaultRates {
    for (double rate : new double[] {rateLimited, serverError, unavailable, stall, streamDrop}) {
      if (rate < 0 || rate > 1) {
        throw new IllegalArgumentException("fault rates are probabilities in [0, 1], got " + rate);
      }
    }
    if (retryAfter == null) retryAfter = Duration.ofSeconds(1);
    if (stallDuration == null) stallDuration = Duration.ofSeconds(10);
  }
}
