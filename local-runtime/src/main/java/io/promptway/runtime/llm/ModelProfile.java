package io.promptway.runtime.llm;

/**
 * How one emulated model behaves: time to first token, inter-token latency, output length, prompt
 * token counting ({@code charsPerToken}), the context window a prompt and its {@code max_tokens}
 * must fit in, and faults. All latencies are in simulated time.
 */
public record ModelProfile(
    LatencyDistribution ttft,
    LatencyDistribution interToken,
    TokenCountDistribution outputTokens,
    double charsPerToken,
    int contextWindow,
    FaultRates faults) {

  public ModelProfile {
    if (ttft == null) throw new IllegalArgumentException("ttft is required");
    if (interToken == null) throw new IllegalArgumentException("inter_token is required");
    if (outputTokens == null) outputTokens = new TokenCountDistribution(200, 600);
    if (!(charsPerToken > 0) || Double.isInfinite(charsPerToken))
      throw new IllegalArgumentException(
          "chars_per_token must be more than 0, got " + charsPerToken);
    if (contextWindow < 1)
      throw new IllegalArgumentException("context_window must be at least 1, got " + contextWindow);
    if (faults == null) faults = FaultRates.NONE;
  }

  /**
   * Why a call does not fit the context window, in OpenAI's words: its prompt plus the output it
   * asks room for ({@code maxTokens}, 0 when it asks none) is more than the window; null when it
   * fits.
   */
  String contextOverflow(int promptTokens, int maxTokens) {
    long requested = (long) promptTokens + maxTokens;
    if (requested <= contextWindow) return null;
    String asked =
        maxTokens == 0
            ? "However, your messages resulted in " + promptTokens + " tokens. "
            : "However, you requested "
                + requested
                + " tokens ("
                + promptTokens
                + " in the messages, "
                + maxTokens
                + " in the completion). ";
    return "This model's maximum context length is "
        + contextWindow
        + " tokens. "
        + asked
        + "Please reduce the length of the messages"
        + (maxTokens == 0 ? "." : " or completion.");
  }
}
