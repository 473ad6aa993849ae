package io.promptway.runtime.llm;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * A lognormal latency given by its median and 95th percentile, the two figures providers and
 * benchmarks publish. A p95 equal to the median means a fixed latency.
 */
public record LatencyDistribution(Duration median, Duration p95) {
  private static final double Z95 = 1.6448536269514722;

  public LatencyDistribution {
    if (median == null || median.isNegative()) {
      throw new IllegalArgumentException("median must be zero or positive");
    }
    if (p95 == null) p95 = median;
    if (p95.compareTo(median) < 0) {
      throw new IllegalArgumentException(
          "p95 ("
              + p95.toMillis()
              + "ms) must not be below the median ("
              + median.toMillis()
              + "ms)");
    }
  }

  public static LatencyDistribution fixed(Duration d) {
    return new LatencyDistribution(d, d);
  }

  public Duration sample(RandomGenerator random) {
    long medianNanos = median.toNanos();
    if (medianNanos == 0 || p95.equals(median)) return median;
    double sigma = Math.log((double) p95.toNanos() / medianNanos) / Z95;
    double value = medianNanos * Math.exp(sigma * random.nextGaussian());
    return Duration.ofNanos((long) value);
  }
}
