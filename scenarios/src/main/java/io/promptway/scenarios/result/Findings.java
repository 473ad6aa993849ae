package io.promptway.scenarios.result;

import io.promptway.scenarios.model.Durations;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Plain-words observations drawn from a run's figures, most consequential first. */
public final class Findings {
  // A second late reads as more than a model's whole time to first token.
  private static final double SIMULATED_LATENESS_MS = 1000;

  private Findings() {}

  public static List<String> of(RunResult r) {
    List<String> out = new ArrayList<>();
    double timeout = r.scenario().deployment().integrationTimeoutMs();
    for (PatternResult p : r.patterns()) {
      if (p.timeouts() > 0) {
        String billing =
            p.pattern().equals("sync") || p.pattern().equals("hybrid")
                ? "; clients got 504 while functions kept billing"
                : "";
        out.add(
            String.format(
                Locale.ROOT,
                "%s: %s of requests passed the %s integration timeout%s.",
                p.pattern(),
                pct(p.rate(p.timeouts())),
                Durations.format(timeout),
                billing));
      }
      if (p.throttled() > 0) {
        out.add(
            String.format(
                Locale.ROOT,
                "%s: %s of requests were throttled (429) and never served.",
                p.pattern(),
                pct(p.rate(p.throttled()))));
      }
      long other = p.failures() - p.timeouts() - p.throttled() - p.unfinished();
      if (other > 0) {
        String kinds =
            p.errors().entrySet().stream()
                .filter(e -> !e.getKey().equals("timeout") && !e.getKey().equals("throttled"))
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
        out.add(
            String.format(Locale.ROOT, "%s: %d requests failed (%s).", p.pattern(), other, kinds));
      }
      if (p.unfinished() > 0) {
        out.add(
            String.format(
                Locale.ROOT,
                "%s: %d requests had no answer when the run ended.",
                p.pattern(),
                p.unfinished()));
      }
      if (p.reconnects() > 0) {
        out.add(
            String.format(
                Locale.ROOT,
                "%s: streams were resumed %d times with Last-Event-ID.",
                p.pattern(),
                p.reconnects()));
      }
    }
    List<PatternResult> served = r.patterns().stream().filter(p -> p.ttft().count() > 0).toList();
    if (served.size() > 1 && served.stream().anyMatch(Findings::streamed)) {
      PatternResult fast =
          served.stream().min(Comparator.comparingDouble(p -> p.ttft().p95())).get();
      PatternResult slow =
          served.stream().max(Comparator.comparingDouble(p -> p.ttft().p95())).get();
      out.add(
          String.format(
              Locale.ROOT,
              "Users see the first token soonest with %s (p95 %s) and latest with %s (p95 %s).",
              fast.pattern(),
              Durations.format(fast.ttft().p95()),
              slow.pattern(),
              Durations.format(slow.ttft().p95())));
    }
    PatternResult sync = find(r, "sync");
    for (String streaming : List.of("sse", "websocket")) {
      PatternResult s = find(r, streaming);
      if (sync != null
          && s != null
          && s.ttft().count() > 0
          && sync.ttft().count() > 0
          && s.ttft().p50() > 0) {
        out.add(
            String.format(
                Locale.ROOT,
                "%s shows the first token %s sync at the median (%s vs %s).",
                streaming,
                comparedTo(s.ttft().p50(), sync.ttft().p50()),
                Durations.format(s.ttft().p50()),
                Durations.format(sync.ttft().p50())));
      }
    }
    if (r.costMetered()) cost(r, out);
    PatternResult hybrid = find(r, "hybrid");
    if (hybrid != null && !hybrid.servedBy().isEmpty()) {
      long total = hybrid.servedBy().values().stream().mapToLong(Long::longValue).sum();
      out.add(
          "hybrid routed "
              + hybrid.servedBy().entrySet().stream()
                  .map(
                      e ->
                          e.getKey().replace("hybrid/", "")
                              + " "
                              + pct((double) e.getValue() / total))
                  .collect(Collectors.joining(", "))
              + " of completed requests.");
    }
    String machine = machineInTheLatencies(r);
    if (machine != null) out.add(machine);
    if (r.pacing().p99Ms() > 50) {
      out.add(
          String.format(
              Locale.ROOT,
              "The load generator sent late (p99 %.1f ms behind schedule): this machine could not keep the pace, so the offered load was lower than the scenario's.",
              r.pacing().p99Ms()));
    }
    return out;
  }

  /**
   * At time scale N the runtime's and the load generator's own real delays read N times larger in
   * simulated time; when the requests' lateness on the wire alone, scaled, is a fifth of the
   * fastest pattern's median latency or more, or a simulated second or more, the figures measure
   * the machine as much as the patterns. (The second matters at high scales, where the same delays
   * have inflated every latency, the fastest median too, or left no request completed.)
   */
  private static String machineInTheLatencies(RunResult r) {
    double scale = r.timeScale();
    double lateSimMs = r.pacing().wireP99Ms() * scale;
    double fastest =
        r.patterns().stream()
            .filter(p -> p.latency().count() > 0)
            .mapToDouble(p -> p.latency().p50())
            .min()
            .orElse(0);
    boolean distorting =
        lateSimMs >= SIMULATED_LATENESS_MS || (fastest > 0 && lateSimMs >= fastest / 5);
    if (scale <= 1 || !distorting) return null;
    return String.format(
        Locale.ROOT,
        "At time scale %s each real millisecond of this machine's own delay reads as %s ms"
            + " simulated: requests went on the wire up to %.1f ms late (p99, real), %s simulated%s."
            + " These latencies, and the function durations billed with them, measure the machine"
            + " as much as the patterns; rerun with a lower --time-scale (1 for none) to compare"
            + " the patterns.",
        number(scale),
        number(scale),
        r.pacing().wireP99Ms(),
        Durations.format(lateSimMs),
        fastest > 0 ? ", against a fastest median latency of " + Durations.format(fastest) : "");
  }

  private static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  /**
   * Whether cost is compared per completed request: when the patterns completed different shares of
   * their requests, since failed requests (throttled ones above all) are billed little or nothing,
   * and per request sent the pattern that served fewer would look cheaper.
   */
  public static boolean costPerCompleted(List<PatternResult> patterns) {
    List<Double> rates =
        patterns.stream().filter(p -> p.sent() > 0).map(p -> p.rate(p.completed())).toList();
    return rates.stream().anyMatch(v -> Math.abs(v - rates.getFirst()) > 1e-9);
  }

  /** Cost per 1,000 requests sent, or per 1,000 completed (0 when none completed). */
  public static double costPer1k(PatternResult p, boolean perCompleted) {
    if (!perCompleted) return p.cost().per1kUsd();
    return p.completed() == 0 ? 0 : p.cost().totalUsd() / p.completed() * 1000;
  }

  public static String costUnit(boolean perCompleted) {
    return perCompleted ? "per 1,000 completed requests" : "per 1,000 requests";
  }

  private static void cost(RunResult r, List<String> out) {
    // a pattern whose requests all failed is cheap for no good reason: not a candidate
    List<PatternResult> billed =
        r.patterns().stream().filter(p -> p.cost().totalUsd() > 0 && p.completed() > 0).toList();
    if (billed.isEmpty()) return;
    boolean perCompleted = costPerCompleted(billed);
    PatternResult cheap =
        billed.stream().min(Comparator.comparingDouble(p -> costPer1k(p, perCompleted))).get();
    PatternResult dear =
        billed.stream().max(Comparator.comparingDouble(p -> costPer1k(p, perCompleted))).get();
    if (cheap != dear) {
      out.add(
          String.format(
              Locale.ROOT,
              "%s is the cheapest at %s %s; %s costs %s (%.2fx).",
              cheap.pattern(),
              usd(costPer1k(cheap, perCompleted)),
              costUnit(perCompleted),
              dear.pattern(),
              usd(costPer1k(dear, perCompleted)),
              costPer1k(dear, perCompleted) / costPer1k(cheap, perCompleted)));
    }
    for (PatternResult p : billed) {
      Map.Entry<String, Double> top =
          p.cost().byComponent().entrySet().stream()
              .filter(e -> !e.getKey().equals("llm"))
              .max(Map.Entry.comparingByValue())
              .orElse(null);
      if (top != null && top.getValue() > 0) {
        double share = top.getValue() / p.cost().totalUsd();
        out.add(
            String.format(
                Locale.ROOT,
                share >= 0.5
                    ? "%s: most of the bill is %s (%s of the total), more than the model's tokens."
                    : "%s: besides the model's tokens, the largest part of the bill is %s (%s of"
                        + " the total).",
                p.pattern(),
                top.getKey(),
                pct(share)));
      }
    }
  }

  /**
   * Whether tokens arrived one by one: a pattern that answers in one piece has no inter-token
   * times, and its time to first token is its whole latency.
   */
  private static boolean streamed(PatternResult p) {
    return p.interToken().count() > 0;
  }

  /** "1.8x sooner than", "1.5x later than" or "about as soon as", by the ratio of two medians. */
  static String comparedTo(double ms, double otherMs) {
    double ratio = otherMs / ms;
    if (ratio >= 1.05) return String.format(Locale.ROOT, "%.1fx sooner than", ratio);
    if (1 / ratio >= 1.05) return String.format(Locale.ROOT, "%.1fx later than", 1 / ratio);
    return "about as soon as";
  }

  private static PatternResult find(RunResult r, String pattern) {
    return r.patterns().stream().filter(p -> p.pattern().equals(pattern)).findFirst().orElse(null);
  }

  static String pct(double fraction) {
    double v = fraction * 100;
    return v >= 10 || v == 0
        ? String.format(Locale.ROOT, "%.0f%%", v)
        : String.format(Locale.ROOT, "%.1f%%", v);
  }

  public static String usd(double v) {
    if (v == 0) return "$0";
    if (v >= 1) return String.format(Locale.ROOT, "$%.2f", v);
    if (v >= 0.01) return String.format(Locale.ROOT, "$%.3f", v);
    return String.format(Locale.ROOT, "$%.5f", v);
  }
}
