package io.promptway.runtime.function;

import io.promptway.runtime.config.DurationText;
import io.promptway.runtime.http.ApiException;
import java.time.Duration;
import java.util.Map;

/**
 * The function ran past its maximum duration and was stopped, as the platform does. A client
 * waiting on it gets 502 {@code FUNCTION_TIMEOUT}: API Gateway answers 502 when the Lambda behind
 * it fails to return (a timed-out function included) and keeps 504 for its own integration timeout,
 * when the function runs on.
 */
public final class FunctionTimeoutException extends ApiException {
  public static final String CODE = "FUNCTION_TIMEOUT";

  private final Duration maxDuration;

  public FunctionTimeoutException(Duration max) {
    super(
        502,
        CODE,
        "the function ran past its maximum duration of "
            + DurationText.format(max)
            + " and was stopped",
        Map.of("max_duration_ms", max.toMillis()),
        null,
        null);
    this.maxDuration = max;
  }

  public Duration maxDuration() {
    return maxDuration;
  }
}
