package io.promptway.scenarios.result;

import io.promptway.scenarios.client.ClientError;
import java.util.List;
import java.util.Map;

/**
 * Everything measured for one pattern. Latencies are simulated ms from each request's scheduled
 * send time; {@code errors} counts failures by kind (timeouts and throttling included); {@code
 * unfinished} requests had no answer when the run ended; {@code servedBy} counts which pattern
 * actually served requests (only the hybrid router varies); {@code latencyCurve} is (percentile,
 * ms) pairs for the distribution chart.
 */
public record PatternResult(
    String pattern,
    long sent,
    long completed,
    long timeouts,
    long throttled,
    Map<String, Long> errors,
    long unfinished,
    int peakConnections,
    int peakInFlight,
    long reconnects,
    long outputTokens,
    LatencyStats ttft,
    LatencyStats interToken,
    LatencyStats latency,
    List<double[]> latencyCurve,
    List<TimePoint> ttftOverTime,
    Map<String, Long> servedBy,
    CostSummary cost) {

  public long failures() {
    return sent - completed;
  }

  /**
   * Requests that timed out: {@code timeouts} (the gateway's 504s and timeouts the server reported)
   * and those the client gave up waiting on ({@code client.timeout}), which count among {@code
   * errors}.
   */
  public long timedOut() {
    return timeouts + clientTimeouts();
  }

  public long clientTimeouts() {
    return errors == null ? 0 : errors.getOrDefault(ClientError.Kind.CLIENT_TIMEOUT.label(), 0L);
  }

  public double rate(long n) {
    return sent == 0 ? 0 : (double) n / sent;
  }

  /** The value of an assertion metric (see {@link io.promptway.scenarios.model.Assertion}). */
  public double metric(String metric, String stat) {
    return switch (metric) {
      case "ttft" -> ttft.stat(stat);
      case "itl" -> interToken.stat(stat);
      case "latency" -> latency.stat(stat);
      case "cost_per_1k" -> cost.per1kUsd();
      case "cost_total" -> cost.totalUsd();
      case "error_rate" -> rate(failures());
      case "timeout_rate" -> rate(timedOut());
      case "throttle_rate" -> rate(throttled);
      case "completion_rate" -> rate(completed);
      default -> throw new IllegalArgumentException(metric);
    };
  }
}
