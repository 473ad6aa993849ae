package io.promptway.runtime.llm;

import java.time.Duration;

/**
 * A failed call to the model provider. {@code retryable} follows the usual split: timeouts, 429 and
 * 5xx may succeed later; other 4xx (bad input, authentication) will not.
 */
public final class LlmCallException extends RuntimeException {
  private final int status;
  private final String code;
  private final Duration retryAfter;

  public LlmCallException(int status, String code, String message, Duration retryAfter) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }

  /** 0 when no HTTP answer arrived (connection failure, timeout, dropped stream). */
  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  public boolean retryable() {
    return status == 0 || status == 408 || status == 429 || status >= 500;
  }
}
