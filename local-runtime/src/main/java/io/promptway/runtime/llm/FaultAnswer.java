package io.promptway.runtime.llm;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * An error the emulated provider answers with instead of a completion, after {@code delay} of
 * simulated time: the one description both ways of reaching the emulator turn into their own error,
 * the HTTP endpoint's {@link OpenAiError} and the in-process {@link LlmCallException} (which reads
 * as {@link LlmClient} reads the former).
 */
record FaultAnswer(int status, String type, String message, Duration retryAfter, Duration delay) {

  /** What a plan's fault answers before any token, or null when it answers with tokens. */
  static FaultAnswer before(CompletionPlan plan) {
    return switch (plan.fault()) {
      case RATE_LIMIT -> {
        long seconds = Math.max(1, plan.retryAfter().toSeconds());
        yield new FaultAnswer(
            429,
            "rate_limit_exceeded",
            "Rate limit reached for " + plan.model() + ". Please try again in " + seconds + "s.",
            Duration.ofSeconds(seconds),
            Duration.ofMillis(20));
      }
      case SERVER_ERROR ->
          new FaultAnswer(
              500,
              "server_error",
              "The server had an error while processing your request.",
              null,
              plan.ttft());
      case UNAVAILABLE ->
          new FaultAnswer(
              503,
              "service_unavailable",
              "The engine is currently overloaded, please try again later.",
              Duration.ofSeconds(1),
              Duration.ofMillis(20));
      default -> null;
    };
  }

  /** A non-streamed completion whose connection drops: the answer once the generation is done. */
  static final FaultAnswer DROPPED =
      new FaultAnswer(
          502,
          "server_error",
          "upstream connection dropped before the response completed",
          null,
          Duration.ZERO);

  OpenAiError toOpenAiError() {
    return new OpenAiError(
        status,
        type,
        null,
        message,
        retryAfter == null
            ? Map.of()
            : Map.of("Retry-After", Long.toString(retryAfter.toSeconds())));
  }

  LlmCallException toCallException() {
    return new LlmCallException(status, type.toUpperCase(Locale.ROOT), message, retryAfter);
  }
}
