package io.promptway.scenarios.report;

import io.promptway.scenarios.model.Durations;
import io.promptway.scenarios.result.AssertionOutcome;
import io.promptway.scenarios.result.Findings;
import io.promptway.scenarios.result.PatternResult;
import io.promptway.scenarios.result.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The terminal summary: one row per pattern, then pacing, assertions and findings. */
public final class TableReport {
  private static final String[] HEAD = {
    "pattern",
    "sent",
    "done",
    "504",
    "429",
    "errors",
    "ttft p50",
    "ttft p95",
    "itl p50",
    "e2e p50",
    "e2e p95",
    "e2e p99",
    "peak conn",
    "cost",
    "$/1k req"
  };

  private TableReport() {}

  public static String render(RunResult r) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEAD);
    for (PatternResult p : r.patterns()) {
      rows.add(
          new String[] {
            p.pattern(),
            Long.toString(p.sent()),
            Long.toString(p.completed()),
            Long.toString(p.timeouts()),
            Long.toString(p.throttled()),
            Long.toString(p.failures() - p.timeouts() - p.throttled()),
            ms(p.ttft().count(), p.ttft().p50()),
            ms(p.ttft().count(), p.ttft().p95()),
            ms(p.interToken().count(), p.interToken().p50()),
            ms(p.latency().count(), p.latency().p50()),
            ms(p.latency().count(), p.latency().p95()),
            ms(p.latency().count(), p.latency().p99()),
            Integer.toString(p.peakConnections()),
            r.costMetered() ? Findings.usd(p.cost().totalUsd()) : "-",
            r.costMetered() ? Findings.usd(p.cost().per1kUsd()) : "-"
          });
    }
    int[] widths = new int[HEAD.length];
    for (String[] row : rows)
      for (int i = 0; i < row.length; i++) widths[i] = Math.max(widths[i], row[i].length());
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "Scenario %s: %d requests per pattern over %s simulated (%.1fs real, time scale %s), seed %d%n",
            r.scenario().name(),
            r.requestsPerPattern(),
            Durations.format(r.scenario().durationMs()),
            r.realSeconds(),
            num(r.timeScale()),
            r.seed()));
    for (int k = 0; k < rows.size(); k++) {
      String[] row = rows.get(k);
      for (int i = 0; i < row.length; i++) {
        String cell = i == 0 ? pad(row[i], widths[i], true) : pad(row[i], widths[i], false);
        sb.append(i == 0 ? "" : "  ").append(cell);
      }
      sb.append('\n');
      if (k == 0) {
        int total = 0;
        for (int w : widths) total += w + 2;
        sb.append("-".repeat(total - 2)).append('\n');
      }
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "Latencies in simulated time from the scheduled send. Pacing: p50 %.2f ms, p99 %.2f ms, max %.2f ms late (real); on the wire p99 %.2f ms.%n",
            r.pacing().p50Ms(),
            r.pacing().p99Ms(),
            r.pacing().maxMs(),
            r.pacing().wireP99Ms()));
    if (r.patterns().stream().anyMatch(p -> p.clientTimeouts() > 0)) {
      sb.append(
          "Timeouts: 504 counts the gateway's; the client's own (client.timeout) are among the"
              + " errors; timeout_rate counts both.\n");
    }
    if (!r.costMetered())
      sb.append("Cost: the target has no meter (GET /metering/totals), so no cost is shown.\n");
    if (!r.assertions().isEmpty()) {
      sb.append("\nAssertions:\n");
      for (AssertionOutcome a : r.assertions()) {
        sb.append(
            String.format(
                Locale.ROOT,
                "  %s  %-30s %-10s %s%n",
                a.verdict(),
                a.assertion(),
                a.pattern(),
                a.wasSkipped() ? a.skipped() : "actual " + actual(a)));
      }
    }
    if (!r.findings().isEmpty()) {
      sb.append("\nFindings:\n");
      for (String f : r.findings()) sb.append("  - ").append(f).append('\n');
    }
    return sb.toString();
  }

  static String actual(AssertionOutcome a) {
    if (a.wasSkipped()) return a.skipped();
    if (Double.isNaN(a.actual())) return "not measured";
    String t = a.assertion();
    if (t.contains("cost")) return Findings.usd(a.actual());
    if (t.contains("rate")) return String.format(Locale.ROOT, "%.2f%%", a.actual() * 100);
    return Durations.format(a.actual());
  }

  private static String ms(long count, double v) {
    return count == 0 ? "-" : Durations.format(v);
  }

  static String num(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private static String pad(String s, int w, boolean left) {
    String fill = " ".repeat(Math.max(0, w - s.length()));
    return left ? s + fill : fill + s;
  }
}
