package io.promptway.runtime.function;

import java.time.Duration;

/** The function ran past its maximum duration and was stopped, as the platform does. */
public final class FunctionTimeoutException extends RuntimeException {
  public FunctionTimeoutException(Duration max) {
    super(
        "the function ran past its maximum duration of " + max.toSeconds() + " s and was stopped",
        null,
        false,
        false);
  }
}
