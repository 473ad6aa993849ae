package io.promptway.runtime.llm;

import java.util.random.RandomGenerator;

/** A lognormal count of output tokens by median and 95th percentile, at least one token. */
public record TokenCountDistribution(int median, int p95) {
  private static final double Z95 = 1.6448536269514722;

  public TokenCountDistribution {
    if (median < 1) throw new IllegalArgumentException("median must be at least 1, got " + median);
    if (p95 < median) {
      throw new IllegalArgumentException(
          "p95 (" + p95 + ") must not be below the median (" + median + ")");
    }
  }

  public int sample(RandomGenerator random) {
    if (p95 == median) return median;
    double sigma = Math.log((double) p95 / median) / Z95;
    return Math.max(1, (int) Math.round(median * Math.exp(sigma * random.nextGaussian())));
  }
}
