package io.promptway.scenarios.report;

import io.promptway.scenarios.model.Durations;
import io.promptway.scenarios.result.Figures;
import io.promptway.scenarios.result.Findings;
import io.promptway.scenarios.result.PatternResult;
import io.promptway.scenarios.result.TimePoint;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** Inline SVG charts for the HTML report; no scripts, no external resources. */
final class SvgCharts {
  private static final String[] COLOURS = {
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b"
  };
  private static final int W = 720;
  private static final int H = 300;
  private static final int L = 70;
  private static final int R = 150;
  private static final int T = 20;
  private static final int B = 40;

  private SvgCharts() {}

  static String colour(int i) {
    return COLOURS[i % COLOURS.length];
  }

  /**
   * End-to-end latency by percentile, one line per pattern (x: percentile on a log-of-tail axis).
   */
  static String latencyDistribution(List<PatternResult> patterns) {
    String id = "latency-distribution", title = "End-to-end latency by percentile";
    if (patterns.stream().allMatch(p -> p.latencyCurve().isEmpty())) return empty(id, title);
    double max = 1;
    for (PatternResult p : patterns)
      for (double[] pt : p.latencyCurve()) max = Math.max(max, pt[1]);
    StringBuilder sb = open(id, title);
    double[] ticks = {0, 50, 90, 99, 99.9};
    for (double t : ticks) {
      double x = xTail(t);
      sb.append(line(x, T, x, H - B, "#ddd")).append(text(x, H - B + 16, fmtPct(t), "middle"));
    }
    yAxis(sb, max);
    int i = 0;
    for (PatternResult p : patterns) {
      StringBuilder pts = new StringBuilder();
      for (double[] pt : p.latencyCurve()) {
        if (pt[0] >= 100) continue;
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", xTail(pt[0]), y(pt[1], max)));
      }
      if (!pts.isEmpty()) sb.append(polyline(pts.toString(), colour(i)));
      legend(sb, i, p.pattern());
      i++;
    }
    sb.append(text(L + (W - L - R) / 2.0, H - 4, "percentile", "middle"));
    return sb.append("</svg>").toString();
  }

  /** Median time to first token over the run's simulated time, one line per pattern. */
  static String ttftOverTime(List<PatternResult> patterns) {
    String id = "ttft-over-time", title = "Median time to first token over the run";
    if (patterns.stream().allMatch(p -> p.ttftOverTime().isEmpty())) return empty(id, title);
    double maxY = 1, maxX = 1;
    for (PatternResult p : patterns) {
      for (TimePoint t : p.ttftOverTime()) {
        maxY = Math.max(maxY, t.p50Ms());
        maxX = Math.max(maxX, t.atSeconds());
      }
    }
    StringBuilder sb = open(id, title);
    yAxis(sb, maxY);
    for (int k = 0; k <= 4; k++) {
      double s = maxX * k / 4;
      double x = L + (W - L - R) * s / maxX;
      sb.append(text(x, H - B + 16, Durations.format(s * 1000), "middle"));
    }
    int i = 0;
    for (PatternResult p : patterns) {
      StringBuilder pts = new StringBuilder();
      for (TimePoint t : p.ttftOverTime()) {
        pts.append(
            String.format(
                Locale.ROOT,
                "%.1f,%.1f ",
                L + (W - L - R) * t.atSeconds() / maxX,
                y(t.p50Ms(), maxY)));
      }
      if (!pts.isEmpty()) sb.append(polyline(pts.toString(), colour(i)));
      legend(sb, i, p.pattern());
      i++;
    }
    sb.append(text(L + (W - L - R) / 2.0, H - 4, "simulated time", "middle"));
    return sb.append("</svg>").toString();
  }

  /** Cost per 1,000 requests split by component, one stacked bar per pattern. */
  static String costByComponent(List<PatternResult> patterns) {
    TreeSet<String> components = new TreeSet<>();
    double max = 0;
    for (PatternResult p : patterns) {
      components.addAll(p.cost().byComponent().keySet());
      max = Math.max(max, p.cost().per1kUsd());
    }
    int barH = 26;
    int h = T + patterns.size() * (barH + 12) + 50;
    StringBuilder sb =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "<svg class=\"chart\" id=\"cost-by-component\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\"><title>Cost per 1,000 requests by component</title>",
                W,
                h,
                W,
                h));
    List<String> order = List.copyOf(components);
    int row = 0;
    for (PatternResult p : patterns) {
      double yTop = T + row * (barH + 12);
      sb.append(text(L - 6, yTop + barH / 2.0 + 4, p.pattern(), "end"));
      double x = L;
      double scale = max <= 0 ? 0 : (W - L - R) / max;
      for (Map.Entry<String, Double> e : p.cost().byComponent().entrySet()) {
        // from the figures the JSON keeps, so a report re-rendered from it shows the same cents
        double usd = Figures.significant(e.getValue());
        double per1k = p.sent() == 0 ? 0 : Figures.significant(usd / p.sent() * 1000);
        double w = per1k * scale;
        sb.append(
            String.format(
                Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s %s: %s per 1k</title></rect>",
                x,
                yTop,
                Math.max(0, w),
                barH,
                colour(order.indexOf(e.getKey())),
                esc(p.pattern()),
                esc(e.getKey()),
                Findings.usd(per1k)));
        x += w;
      }
      String total = Findings.usd(Figures.significant(p.cost().per1kUsd()));
      sb.append(text(x + 6, yTop + barH / 2.0 + 4, total, "start"));
      row++;
    }
    int k = 0;
    for (String c : order) {
      double lx = L + k * 100;
      sb.append(
              String.format(
                  Locale.ROOT,
                  "<rect x=\"%.1f\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>",
                  lx,
                  h - 24,
                  colour(k)))
          .append(text(lx + 16, h - 14, c, "start"));
      k++;
    }
    return sb.append("</svg>").toString();
  }

  private static StringBuilder open(String id, String title) {
    return new StringBuilder(
        String.format(
            Locale.ROOT,
            "<svg class=\"chart\" id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\"><title>%s</title>",
            id,
            W,
            H,
            W,
            H,
            esc(title)));
  }

  /** A chart of nothing has no scale to show: a placeholder instead of axes with made-up ticks. */
  private static String empty(String id, String title) {
    return open(id, title)
        .append(text(W / 2.0, H / 2.0, "no completed requests", "middle"))
        .append("</svg>")
        .toString();
  }

  private static void yAxis(StringBuilder sb, double max) {
    for (int k = 0; k <= 4; k++) {
      double v = max * k / 4;
      double y = y(v, max);
      sb.append(line(L, y, W - R, y, "#eee"))
          .append(text(L - 6, y + 4, Durations.format(v), "end"));
    }
    sb.append(line(L, T, L, H - B, "#888")).append(line(L, H - B, W - R, H - B, "#888"));
  }

  private static void legend(StringBuilder sb, int i, String name) {
    double y = T + 10 + i * 18;
    sb.append(
            line(W - R + 10, y, W - R + 30, y, colour(i))
                .replace("stroke-width=\"1\"", "stroke-width=\"3\""))
        .append(text(W - R + 36, y + 4, name, "start"));
  }

  private static double xTail(double percentile) {
    double tail = Math.log10(100.0 / Math.max(0.05, 100 - percentile));
    return L + (W - L - R) * Math.min(1, tail / 3.0);
  }

  private static double y(double v, double max) {
    return H - B - (H - T - B) * v / max;
  }

  private static String fmtPct(double p) {
    return (p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p)) + "%";
  }

  private static String line(double x1, double y1, double x2, double y2, String colour) {
    return String.format(
        Locale.ROOT,
        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1\"/>",
        x1,
        y1,
        x2,
        y2,
        colour);
  }

  private static String polyline(String points, String colour) {
    return "<polyline fill=\"none\" stroke=\""
        + colour
        + "\" stroke-width=\"2\" points=\""
        + points.trim()
        + "\"/>";
  }

  private static String text(double x, double y, String s, String anchor) {
    return String.format(
        Locale.ROOT,
        "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"%s\">%s</text>",
        x,
        y,
        anchor,
        esc(s));
  }

  static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
