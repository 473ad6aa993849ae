package io.promptway.runtime.llm;

/**
 * How one emulated model behaves: time to first token, inter-token latency, output length, prompt
 * token counting ({@code charsPerToken}) and faults. All latencies are in simulated time.
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
}
