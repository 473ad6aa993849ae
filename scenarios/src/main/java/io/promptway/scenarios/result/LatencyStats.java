package io.promptway.scenarios.result;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import org.HdrHistogram.Histogram;

/**
 * Percentiles of one latency in simulated milliseconds; {@code count} 0 means nothing measured (the
 * figures are then 0 here and null in the result JSON).
 */
@JsonSerialize(using = NotMeasured.LatencySerializer.class)
public record LatencyStats(
    long count, double mean, double p50, double p90, double p95, double p99, double max) {
  public static final LatencyStats EMPTY = new LatencyStats(0, 0, 0, 0, 0, 0, 0);

  /** From a histogram of simulated microseconds. */
  public static LatencyStats of(Histogram us) {
    if (us.getTotalCount() == 0) return EMPTY;
    return new LatencyStats(
        us.getTotalCount(),
        us.getMean() / 1000,
        us.getValueAtPercentile(50) / 1000.0,
        us.getValueAtPercentile(90) / 1000.0,
        us.getValueAtPercentile(95) / 1000.0,
        us.getValueAtPercentile(99) / 1000.0,
        us.getMaxValue() / 1000.0);
  }

  public double stat(String name) {
    return switch (name) {
      case "p50" -> p50;
      case "p90" -> p90;
      case "p95" -> p95;
      case "p99" -> p99;
      case "max" -> max;
      default -> throw new IllegalArgumentException(name);
    };
  }
}
