package io.promptway.cli.chat;

/** Stamps Enter, the first and last token printed and the end of a turn, in nanoseconds. */
final class TurnTimer {
  private final long startNanos;
  private volatile long firstTokenNanos;
  private volatile long lastTokenNanos;
  private volatile int chunks;

  TurnTimer(long startNanos) {
    this.startNanos = startNanos;
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
    double totalMs = (endNanos - startNanos) / 1e6;
    double ttftMs = chunks == 0 ? totalMs : (firstTokenNanos - startNanos) / 1e6;
    long tokens = completionTokens > 0 ? completionTokens : chunks;
    double streamingSeconds = (lastTokenNanos - firstTokenNanos) / 1e9;
    double rate;
    if (chunks > 1 && streamingSeconds > 0) {
      rate = (tokens - 1) / streamingSeconds;
    } else {
      rate = totalMs > 0 ? tokens / (totalMs / 1000) : 0;
    }
    return new TurnTiming(ttftMs, totalMs, tokens, rate);
  }
}
