package io.promptway.cli.chat;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders a turn's stats line, the /stats table and the /cost breakdown as plain text. */
final class StatsFormat {
  /** Marks a cost read while the request was still running on the server. */
  static final String SO_FAR = "(billed so far; the request runs on and is billed to its end)";

  private StatsFormat() {}

  static String turnLine(TurnRecord turn) {
    TurnTiming t = turn.timing();
    String line =
        String.format(
            Locale.ROOT,
            "ttft %s | %.1f tok/s | total %s | %s",
            millis(t.ttftMs()),
            t.tokensPerSecond(),
            millis(t.totalMs()),
            usd(turn.cost().totalUsd()));
    String parts = components(turn.cost().byComponent());
    if (!parts.isEmpty()) line += " = " + parts;
    return turn.cost().soFar() ? line + " " + SO_FAR : line;
  }

  static String components(Map<String, Double> byComponent) {
    return byComponent.entrySet().stream()
        .filter(e -> e.getValue() > 0)
        .sorted(largestFirst())
        .map(e -> e.getKey() + " " + usd(e.getValue()))
        .collect(Collectors.joining(" + "));
  }

  static String table(List<TurnRecord> turns) {
    if (turns.isEmpty()) return "no turns yet\n";
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%3s  %-9s  %-14s  %9s  %9s  %7s  %6s  %10s%n",
            "#",
            "pattern",
            "model",
            "ttft ms",
            "total ms",
            "tok/s",
            "tokens",
            "cost usd"));
    for (TurnRecord turn : turns) {
      TurnTiming t = turn.timing();
      sb.append(
          String.format(
              Locale.ROOT,
              "%3d  %-9s  %-14s  %9s  %9.1f  %7.1f  %6d  %10.6f%s%s%n",
              turn.number(),
              turn.pattern(),
              turn.model(),
              t.ttftMs() == null ? "-" : String.format(Locale.ROOT, "%.1f", t.ttftMs()),
              t.totalMs(),
              t.tokensPerSecond(),
              t.tokens(),
              turn.cost().totalUsd(),
              turn.cancelled() ? "  cancelled" : turn.error() != null ? "  failed" : "",
              turn.cost().soFar() ? ", billed so far" : ""));
    }
    return sb.toString();
  }

  static String cost(ChatSession session) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "session total %s over %d turns%n",
            usd(session.totalCostUsd()),
            session.turns().size()));
    long soFar = session.turns().stream().filter(t -> t.cost().soFar()).count();
    if (soFar > 0) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  of which %d cancelled turn%s billed so far: still running when read, billed to its"
                  + " end%n",
              soFar,
              soFar == 1 ? "" : "s"));
    }
    session.costByComponent().entrySet().stream()
        .sorted(largestFirst())
        .forEach(
            e ->
                sb.append(
                    String.format(Locale.ROOT, "  %-9s %s%n", e.getKey(), usd(e.getValue()))));
    return sb.toString();
  }

  static Comparator<Map.Entry<String, Double>> largestFirst() {
    return Map.Entry.<String, Double>comparingByValue().reversed();
  }

  static String usd(double value) {
    return String.format(Locale.ROOT, "$%.6f", value);
  }

  private static String millis(Double ms) {
    if (ms == null) return "-";
    return ms < 1000
        ? String.format(Locale.ROOT, "%.0f ms", ms)
        : String.format(Locale.ROOT, "%.2f s", ms / 1000);
  }
}
