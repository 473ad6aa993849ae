package io.promptway.scenarios.result;

import io.promptway.scenarios.model.Assertion;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a scenario's assertions against a run: one outcome per assertion and pattern it applies to
 * (every compared pattern when it names none). A pattern that completed nothing cannot meet a
 * latency objective; an assertion about a pattern that was not compared (after {@code --patterns}),
 * or an inter-token one about a pattern that streamed no tokens, is reported as skipped, which does
 * not fail the run.
 */
public final class Verdicts {
  private Verdicts() {}

  public static List<AssertionOutcome> check(RunResult result) {
    List<AssertionOutcome> outcomes = new ArrayList<>();
    for (String text : result.scenario().assertions()) {
      Assertion a = Assertion.parse(text);
      if (a.pattern() != null
          && result.patterns().stream().noneMatch(p -> p.pattern().equals(a.pattern()))) {
        outcomes.add(AssertionOutcome.skipped(a.text(), a.pattern()));
        continue;
      }
      for (PatternResult p : result.patterns()) {
        if (a.pattern() != null && !a.pattern().equals(p.pattern())) continue;
        String notStreamed = notStreamed(a, p);
        if (notStreamed != null) {
          outcomes.add(new AssertionOutcome(a.text(), p.pattern(), Double.NaN, false, notStreamed));
          continue;
        }
        double actual = p.metric(a.metric(), a.stat());
        boolean measured =
            !Assertion.LATENCY_METRICS.contains(a.metric()) || latencyCount(p, a.metric()) > 0;
        outcomes.add(
            new AssertionOutcome(
                a.text(),
                p.pattern(),
                measured ? actual : Double.NaN,
                measured && a.holds(actual)));
      }
    }
    return outcomes;
  }

  /**
   * Why an inter-token objective does not apply to a pattern, or null when it does: sync, async and
   * events answer in one piece, and hybrid streams only the requests it routes to sse or websocket.
   * A streaming pattern that completed nothing still fails it.
   */
  private static String notStreamed(Assertion a, PatternResult p) {
    if (!a.metric().equals("itl") || p.interToken().count() > 0) return null;
    return switch (p.pattern()) {
      case "sync", "async", "events" -> p.pattern() + " does not stream tokens";
      case "hybrid" ->
          p.completed() > 0
                  && p.servedBy().keySet().stream()
                      .noneMatch(k -> k.endsWith("/sse") || k.endsWith("/websocket"))
              ? "hybrid routed no completed request to a stream"
              : null;
      default -> null;
    };
  }

  private static long latencyCount(PatternResult p, String metric) {
    return switch (metric) {
      case "ttft" -> p.ttft().count();
      case "itl" -> p.interToken().count();
      default -> p.latency().count();
    };
  }
}
