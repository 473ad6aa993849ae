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
    if (charsPerToken <= 0) charsPerToken = 4.0;
    if (contextWindow <= 0) contextWindow = 128_000;
    if (faults == null) faults = FaultRates.NONE;
  }
}
