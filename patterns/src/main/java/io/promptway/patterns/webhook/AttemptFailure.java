package io.promptway.patterns.webhook;

import io.promptway.runtime.function.FunctionTimeoutException;
import io.promptway.runtime.llm.LlmCallException;
import java.time.Duration;

/**
 * Why one attempt at a job failed, and whether another may succeed.
 *
 * @param status the provider's HTTP status, or the function's for a timeout
 */
record AttemptFailure(
    int status, String code, String message, boolean retryable, Duration retryAfter) {

  static AttemptFailure of(LlmCallException e) {
    return new AttemptFailure(e.status(), e.code(), e.getMessage(), e.retryable(), e.retryAfter());
  }

  /** A timed-out invocation is retried, as the platform makes a failed batch's messages visible. */
  static AttemptFailure of(FunctionTimeoutException e) {
    return new AttemptFailure(e.status(), e.code(), e.getMessage(), true, null);
  }
}
