package io.promptway.patterns.webhook;

import java.time.Duration;

/**
 * Exponential backoff for a failed attempt: {@code base * 2^(attempt-1)}, capped at {@code max},
 * never sooner than a {@code Retry-After} the provider sent.
 */
public record RetryBackoff(Duration base, Duration max) {

  public Duration after(int attempt, Duration retryAfter) {
    double nanos = base.toNanos() * Math.pow(2, Math.max(0, attempt - 1));
    Duration d = Duration.ofNanos((long) Math.min(nanos, max.toNanos()));
    return retryAfter != null && retryAfter.compareTo(d) > 0 ? retryAfter : d;
  }
}
