package io.promptway.runtime.llm;

import java.time.Duration;
import java.util.List;

/**
 * Everything an emulated completion will do, decided up front from the seed and the request: the
 * tokens, when each is due, and the fault (with the token index at which a stall or drop happens).
 */
public record CompletionPlan(
    String id,
    String model,
    int promptTokens,
    List<String> tokens,
    Duration ttft,
    List<Duration> gaps,
    String finishReason,
    Fault fault,
    int faultAtToken,
    Duration stall,
    Duration retryAfter) {

  public String text() {
    return String.join("", tokens);
  }

  public int completionTokens() {
    return tokens.size();
  }

  /** Simulated time from request to last token (so to a non-streamed answer), a stall included. */
  public Duration answeredAfter() {
    Duration d = fault == Fault.STALL ? ttft.plus(stall) : ttft;
    for (Duration g : gaps) d = d.plus(g);
    return d;
  }
}
