package io.promptway.patterns.common;

import io.promptway.runtime.http.ApiException;
import io.promptway.runtime.http.Errors;
import io.promptway.runtime.llm.LlmCallException;
import java.time.Duration;
import java.util.Map;

/** How a function reports a failed model call to its client. */
public final class ModelErrors {
  private ModelErrors() {}

  public static ApiException toApi(LlmCallException e) {
    if (e.status() == 429) {
      return Errors.throttled(
          "the model provider is rate limiting: " + e.getMessage(),
          e.retryAfter() == null ? Duration.ofSeconds(1) : e.retryAfter());
    }
    if (e.status() >= 400 && e.status() < 500) {
      return new ApiException(
          400, "MODEL_REJECTED", e.getMessage(), Map.of("model_status", e.status()), null, null);
    }
    return new ApiException(
        502,
        "MODEL_ERROR",
        "the model call failed: " + e.getMessage(),
        Map.of("model_status", e.status(), "model_code", e.code()),
        null,
        null);
  }
}
