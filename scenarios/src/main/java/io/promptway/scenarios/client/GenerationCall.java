package io.promptway.scenarios.client;

import java.time.Duration;
import java.util.Map;

/**
 * One generation to ask for, the same for every pattern. {@code timeout} and {@code pollInterval}
 * are real (wall-clock) durations; {@code headers} are added to every HTTP request made for it;
 * {@code rejectFirstCallback} makes the local webhook receiver answer the first delivery with 500,
 * as a flaky client would; {@code interactive} asks the hybrid router for a stream ({@code stream:
 * true}), as a client with a person watching would.
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
    boolean rejectFirstCallback,
    boolean interactive) {

  public GenerationCall {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    if (timeout == null) timeout = Duration.ofMinutes(15);
    if (pollInterval == null) pollInterval = Duration.ofSeconds(1);
  }

  /**
   * How long a webhook client waits for its webhook before it falls back to polling: half the
   * client timeout, so a webhook the runtime is still retrying or has given up on is still found by
   * polling before the client gives up, while a webhook that comes does so without polls.
   */
  public Duration webhookGrace() {
    return timeout.dividedBy(2);
  }

  public static GenerationCall of(String prompt, String model, int maxTokens) {
    return new GenerationCall(
        prompt, model, maxTokens, 5, "standard", null, Map.of(), null, null, true, false, false);
  }
}
