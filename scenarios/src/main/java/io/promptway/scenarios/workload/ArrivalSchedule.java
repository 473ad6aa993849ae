package io.promptway.scenarios.workload;

import io.promptway.scenarios.model.Scenario;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import java.util.stream.LongStream;

/**
 * Arrival times of an open-model load, in simulated nanoseconds from the start: evenly spaced for
 * {@code constant} stages, a (possibly non-homogeneous) Poisson process for the others, generated
 * by thinning so the same seed gives the same times.
 */
public final class ArrivalSchedule {
  private ArrivalSchedule() {}

  public static long[] arrivals(List<Scenario.Stage> stages, long seed) {
    LongStream.Builder times = LongStream.builder();
    generate(stages, seed, times);
    return times.build().toArray();
  }

  /** How many requests {@link #arrivals} gives, without holding them. */
  public static long count(List<Scenario.Stage> stages, long seed) {
    long[] n = {0};
    generate(stages, seed, t -> n[0]++);
    return n[0];
  }

  private static void generate(List<Scenario.Stage> stages, long seed, LongConsumer times) {
    SplittableRandom random = new SplittableRandom(seed);
    double stageStartMs = 0;
    for (Scenario.Stage stage : stages) {
      if (stage.type().equals("constant")) {
        double gapMs = 1000 / stage.rate();
        for (double t = gapMs / 2; t < stage.durationMs(); t += gapMs) {
          times.accept(toNanos(stageStartMs + t));
        }
      } else {
        double max = stage.maxRate();
        if (max > 0) {
          double t = 0;
          while (true) {
            t += -Math.log(1 - random.nextDouble()) * 1000 / max;
            if (t >= stage.durationMs()) break;
            if (random.nextDouble() * max < stage.rateAt(t))
              times.accept(toNanos(stageStartMs + t));
          }
        }
      }
      stageStartMs += stage.durationMs();
    }
  }

  private static long toNanos(double ms) {
    return Math.round(ms * 1_000_000);
  }
}
