package io.promptway.cli.chat;

/**
 * Client-observed timings of one turn, measured from Enter and given in the runtime's simulated
 * time (real durations times its time scale): time to the first token printed, total latency, and
 * the output rate. For streaming patterns the rate is over the streaming phase (first to last
 * token); a reply that arrives in one piece is rated over the whole turn.
 */
public record TurnTiming(double ttftMs, double totalMs, long tokens, double tokensPerSecond) {}
