package io.promptway.cli.chat;

/**
 * Stamps Enter, the first and last token printed and the end of a turn, in real nanoseconds, and
 * reports them in the runtime's simulated time: a runtime at time scale N runs N simulated seconds
 * per real second, so every measured duration is multiplied by N, as the runtime's own figures are.
 */
final class TurnTimer {
  private final long startNanos;
  private final double timeScale;
  private volatile long firstTokenNanos;
  private volatile long lastTokenNanos;
  private volatile int chunks;

  TurnTimer(long startNanos, double timeScale) {
    this.startNanos = startNanos;
    this.timeScale = timeScale;
  }

  void tokenPrinted(long nowNanos) {
    if (chunks == 0) firstTokenNanos = nowNanos;
    lastTokenNanos = nowNanos;
    chunks++;
  }

  int chunks() {
    return chunks;
  }

  /**
   * @param completionTokens tokens the runtime reported; when zero, the streamed chunks are counted
   */
  TurnTiming finish(long endNanos, long completionTokens) {
    double totalMs = simulated(endNanos - startNanos) / 1e6;
    double ttftMs = chunks == 0 ? totalMs : simulated(firstTokenNanos - startNanos) / 1e6;
    long tokens = completionTokens > 0 ? completionTokens : chunks;
    double streamingSeconds = simulated(lastTokenNanos - firstTokenNanos) / 1e9;
    double rate;
    if (chunks > 1 && streamingSeconds > 0) {
      rate = (tokens - 1) / streamingSeconds;
    } else {
      rate = totalMs > 0 ? tokens / (totalMs / 1000) : 0;
    }
    return new TurnTiming(ttftMs, totalMs, tokens, rate);
  }

  private double simulated(long realNanos) {
    return realNanos * timeScale;
  }
}
