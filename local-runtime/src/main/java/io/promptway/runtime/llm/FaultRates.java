package io.promptway.runtime.llm;

import java.time.Duration;

/**
 * How often a model misbehaves, each a probability per request: 429 with Retry-After, 500, 503, a
 * stall (a long silence mid-stream) and a stream dropped part-way. One fault at most is drawn per
 * request, in that order, so the rates are shares of one draw and add up to at most 1.
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

  // a sum of decimal rates such as 0.1 + 0.2 + 0.7 may come out a hair above 1
  private static final double SUM_SLACK = 1e-9;

  public FaultRates {
    probability("rate_limited", rateLimited);
    probability("server_error", serverError);
    probability("unavailable", unavailable);
    probability("stall", stall);
    probability("stream_drop", streamDrop);
    double sum = rateLimited + serverError + unavailable + stall + streamDrop;
    if (sum > 1 + SUM_SLACK) {
      throw new IllegalArgumentException(
          "the fault rates add up to "
              + number(sum)
              + "; at most 1, as one fault at most is drawn per request (rate_limited first,"
              + " stream_drop last)");
    }
    if (retryAfter == null) retryAfter = Duration.ofSeconds(1);
    if (stallDuration == null) stallDuration = Duration.ofSeconds(10);
    if (retryAfter.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          "retry_after must be at least 1s (Retry-After is in whole seconds), got "
              + text(retryAfter));
    }
    if (stallDuration.isNegative() || stallDuration.isZero()) {
      throw new IllegalArgumentException(
          "stall_duration must be more than 0s, got " + text(stallDuration));
    }
  }

  private static void probability(String key, double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException(
          key + " must be within 0..1 (a probability per request), got " + number(rate));
    }
  }

  private static String number(double v) {
    if (!Double.isFinite(v)) return Double.toString(v);
    return v == Math.rint(v) && Math.abs(v) < 1e15
        ? Long.toString((long) v)
        : Double.toString(Math.round(v * 1e9) / 1e9);
  }

  /** As the config file writes it: -5s, 1500ms. */
  private static String text(Duration d) {
    String sign = d.isNegative() ? "-" : "";
    long ms = d.abs().toMillis();
    return sign + (ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms");
  }
}
