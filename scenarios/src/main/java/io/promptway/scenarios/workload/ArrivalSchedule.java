package io.promptway.scenarios.workload;

import io.promptway.scenarios.model.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Arrival times of an open-model load, in simulated nanoseconds from the start: evenly spaced for
 * {@code constant} stages, a (possibly non-homogeneous) Poisson process for the others, generated
 * by thinning so the same seed gives the same times.
 */
public final class ArrivalSchedule {
  private ArrivalSchedule() {}

  public static long[] arrivals(List<Scenario.Stage> stages, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Long> times = new ArrayList<>();
    double stageStartMs = 0;
    for (Scenario.Stage stage : stages) {
      if (stage.type().equals("constant")) {
        double gapMs = 1000 / stage.rate();
        for (double t = gapMs / 2; t < stage.durationMs(); t += gapMs) {
          times.add(toNanos(stageStartMs + t));
        }
      } else {
        double max = stage.maxRate();
        if (max > 0) {
          double t = 0;
          while (true) {
            t += -Math.log(1 - random.nextDouble()) * 1000 / max;
            if (t >= stage.durationMs()) break;
            if (random.nextDouble() * max < stage.rateAt(t)) times.add(toNanos(stageStartMs + t));
          }
        }
      }
      stageStartMs += stage.durationMs();
    }
    return times.stream().mapToLong(Long::longValue).toArray();
  }

  private static long toNanos(double ms) {
    return Math.round(ms * 1_000_000);
  }
}
