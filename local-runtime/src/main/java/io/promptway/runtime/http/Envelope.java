package io.promptway.runtime.http;

import java.util.Map;

/**
 * The one JSON shape every runtime response shares: {@code {success, data, metadata, error}}.
 *
 * @param data the pattern's payload on success
 * @param metadata request id, pattern, model, usage, latency and cost; may be null on early errors
 * @param error code, message and details on failure
 */
public record Envelope(boolean success, Object data, Metadata metadata, ErrorBody error) {

  public static Envelope ok(Object data, Metadata metadata) {
    return new Envelope(true, data, metadata, null);
  }

  public static Envelope failed(ErrorBody error, Metadata metadata) {
    return new Envelope(false, null, metadata, error);
  }

  public record Metadata(
      String requestId, String pattern, String model, Usage usage, Double latencyMs, Cost cost) {}

  public record Usage(int promptTokens, int completionTokens, int totalTokens) {
    public static Usage of(int prompt, int completion) {
      return new Usage(prompt, completion, prompt + completion);
    }
  }

  /** Cost in USD, total and by component (gateway, function, state, llm, ...). */
  public record Cost(double totalUsd, Map<String, Double> byComponent) {}

  public record ErrorBody(String code, String message, Map<String, Object> details) {}
}
