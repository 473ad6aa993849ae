package io.promptway.scenarios.replay;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * A one-line progress display rewritten in place twice a second: simulated and real elapsed time,
 * and per pattern how many requests were sent, are in flight and failed.
 */
final class ProgressDisplay implements AutoCloseable {
  private final PrintStream out;
  private final List<PatternRecorder> recorders;
  private final double timeScale;
  private final double totalSimSeconds;
  private final long start = System.nanoTime();
  private final Thread thread;
  private volatile boolean running = true;

  ProgressDisplay(
      PrintStream out, List<PatternRecorder> recorders, double timeScale, double totalSimSeconds) {
    this.out = out;
    this.recorders = recorders;
    this.timeScale = timeScale;
    this.totalSimSeconds = totalSimSeconds;
    this.thread = Thread.ofPlatform().daemon().name("progress").start(this::loop);
  }

  private void loop() {
    while (running) {
      out.print("\r" + line() + "\u001b[K");
      out.flush();
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  String line() {
    double real = (System.nanoTime() - start) / 1e9;
    StringBuilder sb =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "sim %s/%s real %.0fs |",
                clock(real * timeScale),
                clock(totalSimSeconds),
                real));
    for (PatternRecorder r : recorders) {
      sb.append(
          String.format(
              Locale.ROOT,
              " %s %d sent %d live %d err |",
              r.pattern(),
              r.sent(),
              r.inFlight(),
              r.failures()));
    }
    return sb.toString();
  }

  private static String clock(double seconds) {
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    out.print("\r" + line() + "\u001b[K\n");
    out.flush();
  }
}
