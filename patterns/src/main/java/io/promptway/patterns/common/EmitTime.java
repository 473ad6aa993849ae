package io.promptway.patterns.common;

import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.llm.LlmClient;

/**
 * The {@code at_ms} of a streamed token: simulated milliseconds, to the microsecond, from the
 * request's start (the origin of its {@code latency_ms}) to the instant the model emitted the
 * token. The embedded emulator gives its planned instant, so the gaps between tokens are the
 * model's at any time scale; a token that came over HTTP is stamped when it arrived.
 */
public final class EmitTime {
  private EmitTime() {}

  public static double msSince(long startNanos, long emittedAtNanos, SimulatedClock clock) {
    long at = emittedAtNanos == LlmClient.TokenListener.UNSTAMPED ? clock.nanos() : emittedAtNanos;
    return Math.round((at - startNanos) / 1_000.0) / 1_000.0;
  }
}
