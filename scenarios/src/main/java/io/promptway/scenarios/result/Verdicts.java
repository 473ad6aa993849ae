package io.promptway.scenarios.result;

import io.promptway.scenarios.model.Assertion;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a scenario's assertions against a run: one outcome per assertion and pattern it applies to
 * (every compared pattern when it names none). A pattern that completed nothing cannot meet a
 * latency objective; an assertion about a pattern that was not compared (after {@code --patterns})
 * is reported as skipped, which does not fail the run.
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

  private static long latencyCount(PatternResult p, String metric) {
    return switch (metric) {
      case "ttft" -> p.ttft().count();
      case "itl" -> p.interToken().count();
      default -> p.latency().count();
    };
  }
}
