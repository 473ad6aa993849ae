package io.promptway.scenarios.report;

import io.promptway.scenarios.result.Figures;
import io.promptway.scenarios.result.LatencyStats;
import io.promptway.scenarios.result.PatternResult;
import io.promptway.scenarios.result.RunResult;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** One CSV row per pattern with every figure; latencies in simulated ms, cost in USD. */
public final class CsvReport {
  private CsvReport() {}

  public static String render(RunResult r) {
    TreeSet<String> components = new TreeSet<>();
    for (PatternResult p : r.patterns()) components.addAll(p.cost().byComponent().keySet());
    List<String> head =
        new ArrayList<>(
            List.of(
                "scenario",
                "pattern",
                "sent",
                "completed",
                "timeouts",
                "throttled",
                "failures",
                "unfinished",
                "peak_connections",
                "peak_in_flight",
                "reconnects",
                "output_tokens"));
    for (String m : List.of("ttft", "itl", "latency")) {
      for (String s : List.of("p50", "p90", "p95", "p99", "max")) head.add(m + "_" + s + "_ms");
    }
    head.add("cost_total_usd");
    head.add("cost_per_1k_usd");
    for (String c : components) head.add("cost_" + c + "_usd");
    StringBuilder sb = new StringBuilder(String.join(",", head)).append('\n');
    for (PatternResult p : r.patterns()) {
      List<String> row =
          new ArrayList<>(
              List.of(
                  quote(r.scenario().name()),
                  p.pattern(),
                  l(p.sent()),
                  l(p.completed()),
                  l(p.timeouts()),
                  l(p.throttled()),
                  l(p.failures()),
                  l(p.unfinished()),
                  l(p.peakConnections()),
                  l(p.peakInFlight()),
                  l(p.reconnects()),
                  l(p.outputTokens())));
      for (LatencyStats s : List.of(p.ttft(), p.interToken(), p.latency())) {
        for (String stat : List.of("p50", "p90", "p95", "p99", "max"))
          row.add(s.count() == 0 ? "" : d(s.stat(stat)));
      }
      row.add(d(p.cost().totalUsd()));
      row.add(d(p.cost().per1kUsd()));
      for (String c : components) row.add(d(p.cost().byComponent().getOrDefault(c, 0.0)));
      sb.append(String.join(",", row)).append('\n');
    }
    return sb.toString();
  }

  private static String l(long v) {
    return Long.toString(v);
  }

  /** Six decimal places, half up, from the figure as the JSON keeps it. */
  private static String d(double v) {
    if (!Double.isFinite(v)) return Double.toString(v);
    BigDecimal six = BigDecimal.valueOf(Figures.significant(v)).setScale(6, RoundingMode.HALF_UP);
    return six.signum() == 0 ? "0" : six.stripTrailingZeros().toPlainString();
  }

  private static String quote(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
