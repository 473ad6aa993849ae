package io.promptway.scenarios.client;

import java.time.Duration;
import java.util.Map;

/**
 * One generation to ask for, the same for every pattern. {@code timeout} and {@code pollInterval}
 * are real (wall-clock) durations; {@code headers} are added to every HTTP request made for it;
 * {@code rejectFirstCallback} makes the local webhook receiver answer the first delivery with 500,
 * as a flaky client would.
 */
public record GenerationCall(
    String prompt,
    String model,
    int maxTokens,
    int priority,
    String userTier,
    String conversationId,
    Map<String, String> headers,
    Duration timeout,
    Duration pollInterval,
    boolean useWebhook,
    boolean rejectFirstCallback) {

  public GenerationCall {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    if (timeout == null) timeout = Duration.ofMinutes(15);
    if (pollInterval == null) pollInterval = Duration.ofSeconds(1);
  }

  public static GenerationCall of(String prompt, String model, int maxTokens) {
    return new GenerationCall(
        prompt, model, maxTokens, 5, "standard", null, Map.of(), null, null, true, false);
  }
}
