package io.promptway.scenarios.report;

import io.promptway.scenarios.model.Durations;
import io.promptway.scenarios.result.AssertionOutcome;
import io.promptway.scenarios.result.Findings;
import io.promptway.scenarios.result.PatternResult;
import io.promptway.scenarios.result.ResultJson;
import io.promptway.scenarios.result.RunResult;
import java.util.Locale;

/**
 * A single self-contained HTML page: summary table, findings, assertions, three inline SVG charts
 * (latency distribution, TTFT over time, cost by component) and the full result JSON. No scripts
 * and no external stylesheets, so it opens anywhere, offline.
 */
public final class HtmlReport {
  private HtmlReport() {}

  public static String render(RunResult r) {
    StringBuilder sb = new StringBuilder();
    String name = SvgCharts.esc(r.scenario().name());
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Promptway: ")
        .append(name)
        .append("</title><style>")
        .append(
            "body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1000px;color:#222}")
        .append(
            "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}")
        .append(
            "td:first-child,th:first-child{text-align:left}.pass{color:#070}.fail{color:#b00;font-weight:bold}.skip{color:#777}")
        .append(
            "pre{background:#f6f6f6;padding:1em;overflow:auto;font-size:11px}.chart{display:block;margin:1em 0}")
        .append("</style></head><body>\n");
    sb.append("<h1>Scenario ")
        .append(name)
        .append("</h1>\n<p>")
        .append(SvgCharts.esc(r.scenario().description()))
        .append("</p>\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "<p>%d requests per pattern over %s simulated (%.1f s real at time scale %s), seed %d, against %s, started %s. "
                + "Latencies are simulated time measured from each request's scheduled send.</p>\n",
            r.requestsPerPattern(),
            Durations.format(r.scenario().durationMs()),
            r.realSeconds(),
            TableReport.num(r.timeScale()),
            r.seed(),
            SvgCharts.esc(r.target()),
            SvgCharts.esc(r.startedAt())));
    if (!r.findings().isEmpty()) {
      sb.append("<h2>Findings</h2>\n<ul id=\"findings\">");
      for (String f : r.findings()) sb.append("<li>").append(SvgCharts.esc(f)).append("</li>");
      sb.append("</ul>\n");
    }
    summary(sb, r);
    if (!r.assertions().isEmpty()) {
      sb.append(
          "<h2>Assertions</h2>\n<table><tr><th>assertion</th><th>pattern</th><th>actual</th><th>result</th></tr>");
      for (AssertionOutcome a : r.assertions()) {
        sb.append("<tr><td>")
            .append(SvgCharts.esc(a.assertion()))
            .append("</td><td>")
            .append(a.pattern())
            .append("</td><td>")
            .append(TableReport.actual(a))
            .append("</td><td class=\"")
            .append(a.wasSkipped() ? "skip\">skip" : a.holds() ? "pass\">pass" : "fail\">FAIL")
            .append("</td></tr>");
      }
      sb.append("</table>\n");
    }
    sb.append("<h2>Latency distribution</h2>\n")
        .append(SvgCharts.latencyDistribution(r.patterns()))
        .append('\n');
    sb.append("<h2>Time to first token over time</h2>\n")
        .append(SvgCharts.ttftOverTime(r.patterns()))
        .append('\n');
    sb.append("<h2>Cost by component</h2>\n");
    if (r.costMetered()) sb.append(SvgCharts.costByComponent(r.patterns())).append('\n');
    else sb.append("<p>The target has no meter, so no cost was recorded.</p>\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "<h2>Pacing</h2>\n<p>Requests left the load generator p50 %.2f ms, p99 %.2f ms, at most %.2f ms after their scheduled instant (real time); they went on the wire p50 %.2f ms, p99 %.2f ms, at most %.2f ms after it.</p>\n",
            r.pacing().p50Ms(),
            r.pacing().p99Ms(),
            r.pacing().maxMs(),
            r.pacing().wireP50Ms(),
            r.pacing().wireP99Ms(),
            r.pacing().wireMaxMs()));
    sb.append("<h2>Result data</h2>\n<pre>")
        .append(SvgCharts.esc(ResultJson.write(r)))
        .append("</pre>\n");
    return sb.append("</body></html>\n").toString();
  }

  private static void summary(StringBuilder sb, RunResult r) {
    sb.append(
        "<h2>Summary</h2>\n<table id=\"summary\"><tr><th>pattern</th><th>sent</th><th>completed</th><th>504</th><th>429</th>"
            + "<th>other errors</th><th>TTFT p50</th><th>TTFT p95</th><th>ITL p50</th><th>E2E p50</th><th>E2E p95</th>"
            + "<th>E2E p99</th><th>E2E max</th><th>peak conn.</th><th>cost</th><th>per 1k req</th></tr>\n");
    for (PatternResult p : r.patterns()) {
      sb.append("<tr><td>").append(p.pattern()).append("</td>");
      for (long v :
          new long[] {
            p.sent(),
            p.completed(),
            p.timeouts(),
            p.throttled(),
            p.failures() - p.timeouts() - p.throttled()
          }) {
        sb.append("<td>").append(v).append("</td>");
      }
      cell(sb, p.ttft().count(), p.ttft().p50());
      cell(sb, p.ttft().count(), p.ttft().p95());
      cell(sb, p.interToken().count(), p.interToken().p50());
      cell(sb, p.latency().count(), p.latency().p50());
      cell(sb, p.latency().count(), p.latency().p95());
      cell(sb, p.latency().count(), p.latency().p99());
      cell(sb, p.latency().count(), p.latency().max());
      sb.append("<td>")
          .append(p.peakConnections())
          .append("</td><td>")
          .append(r.costMetered() ? Findings.usd(p.cost().totalUsd()) : "-")
          .append("</td><td>")
          .append(r.costMetered() ? Findings.usd(p.cost().per1kUsd()) : "-")
          .append("</td></tr>\n");
    }
    sb.append("</table>\n");
  }

  private static void cell(StringBuilder sb, long count, double ms) {
    sb.append("<td>").append(count == 0 ? "-" : Durations.format(ms)).append("</td>");
  }
}
