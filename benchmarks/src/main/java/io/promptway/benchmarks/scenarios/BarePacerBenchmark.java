package io.promptway.benchmarks.scenarios;

import io.promptway.scenarios.replay.Pacer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The replayer's {@link Pacer} alone, in its own JVM: wakes at a constant rate and sends nothing,
 * so its lateness is what the operating system and the machine add. Run beside another workload
 * (e.g. {@code chrt -f 20 java ... BarePacerBenchmark} while {@code replayer-bench.sh pacing} runs)
 * it tells a slow replayer from a machine that takes the CPU away from every thread.
 *
 * <p>Args: {@code [rate=2000] [seconds=10]}. Prints p50/p99/p99.9/max lateness and the start of
 * each stall over 2 ms.
 */
public final class BarePacerBenchmark {
  private BarePacerBenchmark() {}

  public static void main(String[] args) {
    double rate = args.length > 0 ? Double.parseDouble(args[0]) : 2000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int ticks = (int) Math.round(rate * seconds);
    long period = Math.round(1e9 / rate);
    Pacer pacer = new Pacer();
    Histogram lateness = new Histogram(60_000_000_000L, 3);
    List<String> stalls = new ArrayList<>();
    long start = System.nanoTime() + 50_000_000;
    boolean inStall = false;
    for (int i = 0; i < ticks; i++) {
      long late = pacer.sleepUntil(start + i * period);
      lateness.recordValue(late);
      boolean stalled = late > 2_000_000;
      if (stalled && !inStall) {
        stalls.add(String.format(Locale.ROOT, "%.3f s (%.1f ms)", i * period / 1e9, late / 1e6));
      }
      inStall = stalled;
    }
    System.out.printf(
        Locale.ROOT,
        "bare pacer: %d ticks at %.0f/s: lateness p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f"
            + " ms%n",
        ticks,
        rate,
        lateness.getValueAtPercentile(50) / 1e6,
        lateness.getValueAtPercentile(99) / 1e6,
        lateness.getValueAtPercentile(99.9) / 1e6,
        lateness.getMaxValue() / 1e6);
    System.out.println("stalls over 2 ms begin at: " + (stalls.isEmpty() ? "none" : stalls));
  }
}
