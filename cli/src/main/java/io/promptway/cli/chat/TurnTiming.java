package io.promptway.cli.chat;

/**
 * Client-observed timings of one turn, measured from Enter and given in the runtime's simulated
 * time (real durations times its time scale): time to the first token printed, total latency, and
 * the output rate. For streaming patterns the rate is over the streaming phase (first to last
 * token); a reply that arrives in one piece is rated over the whole turn.
 *
 * @param ttftMs null when no token arrived (a turn cancelled before its first token)
 */
public record TurnTiming(Double ttftMs, double totalMs, long tokens, double tokensPerSecond) {
  /** The same timing for a turn that never saw a token: it has no time to first token. */
  public TurnTiming withoutFirstToken() {
    return new TurnTiming(null, totalMs, tokens, 0);
  }
}
