package io.promptway.cli.chat;

import java.io.PrintWriter;
import java.util.function.Function;

/**
 * Prints tokens the moment they arrive and stamps the first one; once closed (the turn finished or
 * was cancelled) late tokens from the transport are dropped so they never overwrite the prompt.
 */
final class ReplyPrinter implements TokenListener {
  private final PrintWriter out;
  private final TurnTimer timer;
  private final StringBuilder printed = new StringBuilder();
  private final Function<String, String> noticeStyle;
  private boolean closed;

  ReplyPrinter(PrintWriter out, TurnTimer timer, Function<String, String> noticeStyle) {
    this.out = out;
    this.timer = timer;
    this.noticeStyle = noticeStyle;
  }

  @Override
  public synchronized void onToken(String text) {
    if (closed || text == null || text.isEmpty()) return;
    out.print(text);
    out.flush();
    timer.tokenPrinted(System.nanoTime());
    printed.append(text);
  }

  @Override
  public synchronized void onNotice(String message) {
    if (closed) return;
    if (!printed.isEmpty() && printed.charAt(printed.length() - 1) != '\n') out.println();
    out.println(noticeStyle.apply("[" + message + "]"));
    out.flush();
    if (!printed.isEmpty()) printed.append('\n');
  }

  /** Stops printing and returns what was printed. */
  synchronized String close() {
    closed = true;
    return printed.toString();
  }
}
