package io.promptway.scenarios.model;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service-level objective or budget checked after a run, written as {@code
 * [pattern.]metric[.stat] op value}: {@code sse.ttft.p95 < 1s}, {@code cost_per_1k < $0.50}, {@code
 * error_rate < 1%}. Without a pattern it must hold for every compared pattern. Values are
 * normalised to simulated milliseconds, US dollars or fractions; a rate must be written with {@code
 * %}.
 */
public record Assertion(
    String text, String pattern, String metric, String stat, String op, double value) {

  public static final List<String> LATENCY_METRICS = List.of("ttft", "itl", "latency");
  public static final List<String> MONEY_METRICS = List.of("cost_per_1k", "cost_total");
  public static final List<String> RATE_METRICS =
      List.of("error_rate", "timeout_rate", "throttle_rate", "completion_rate");
  public static final List<String> STATS = List.of("p50", "p90", "p95", "p99", "max");

  private static final Pattern SHAPE =
      Pattern.compile("^\\s*([A-Za-z0-9_.]+)\\s*(<=|>=|<|>)\\s*(\\S+)\\s*$");

  /** Parses one assertion; throws IllegalArgumentException with a message a person can act on. */
  public static Assertion parse(String text) {
    Matcher m = SHAPE.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "assertion '" + text + "' must look like 'sse.ttft.p95 < 1s' or 'error_rate < 1%'");
    }
    String[] parts = m.group(1).toLowerCase(Locale.ROOT).split("\\.");
    String pattern = null;
    int i = 0;
    if (Scenario.KNOWN_PATTERNS.contains(parts[0])) pattern = parts[i++];
    if (i >= parts.length)
      throw new IllegalArgumentException("assertion '" + text + "' names no metric");
    String metric = normalise(parts[i++]);
    String stat = null;
    if (LATENCY_METRICS.contains(metric)) {
      stat = i < parts.length ? parts[i++] : "p95";
      if (!STATS.contains(stat)) {
        throw new IllegalArgumentException(
            "assertion '" + text + "': unknown statistic '" + stat + "' (known: " + STATS + ")");
      }
    } else if (!MONEY_METRICS.contains(metric) && !RATE_METRICS.contains(metric)) {
      throw new IllegalArgumentException(
          "assertion '"
              + text
              + "': unknown metric '"
              + metric
              + "' (known: "
              + LATENCY_METRICS
              + ", "
              + MONEY_METRICS
              + ", "
              + RATE_METRICS
              + ")");
    }
    if (i < parts.length) {
      throw new IllegalArgumentException("assertion '" + text + "': unexpected '" + parts[i] + "'");
    }
    return new Assertion(
        text.strip(), pattern, metric, stat, m.group(2), value(text, metric, m.group(3)));
  }

  private static String normalise(String metric) {
    return switch (metric) {
      case "inter_token", "itl" -> "itl";
      case "e2e", "latency", "total" -> "latency";
      default -> metric;
    };
  }

  private static double value(String text, String metric, String raw) {
    double v = number(text, metric, raw);
    String problem = null;
    if (!Double.isFinite(v)) problem = "is not a finite number";
    else if (LATENCY_METRICS.contains(metric) && v < 0)
      problem = "is out of range: a latency cannot be negative";
    else if (MONEY_METRICS.contains(metric) && v < 0)
      problem = "is out of range: a cost cannot be negative";
    else if (RATE_METRICS.contains(metric) && (v < 0 || v > 1))
      problem = "is out of range: a rate is from 0% to 100%";
    if (problem != null)
      throw new IllegalArgumentException("assertion '" + text + "': '" + raw + "' " + problem);
    return v;
  }

  private static double number(String text, String metric, String raw) {
    try {
      if (LATENCY_METRICS.contains(metric)) return Durations.parseMs(raw);
      if (MONEY_METRICS.contains(metric)) return Double.parseDouble(raw.replace("$", ""));
      if (raw.endsWith("%")) return Double.parseDouble(raw.substring(0, raw.length() - 1)) / 100;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "assertion '"
              + text
              + "': '"
              + raw
              + "' is not a value for "
              + metric
              + (LATENCY_METRICS.contains(metric) ? " (write e.g. 800ms or 1s)" : ""));
    }
    // a bare number is ambiguous: "error_rate < 1" read as a fraction would mean below 100 %
    throw new IllegalArgumentException(
        "assertion '"
            + text
            + "': '"
            + raw
            + "' has no %: write rates as percentages, e.g. "
            + metric
            + " < 1%");
  }

  /** Whether {@code actual} satisfies this assertion. */
  public boolean holds(double actual) {
    return switch (op) {
      case "<" -> actual < value;
      case "<=" -> actual <= value;
      case ">" -> actual > value;
      case ">=" -> actual >= value;
      default -> false;
    };
  }
}
