package io.promptway.scenarios.result;

import io.promptway.scenarios.model.Scenario;
import java.util.List;

/**
 * The outcome of replaying one scenario: the scenario itself, where and when it ran, pacing, one
 * result per pattern, cost the meter could not attribute to a pattern, assertion outcomes and
 * plain-words findings. Written as JSON and re-rendered by {@code promptway report}.
 */
public record RunResult(
    Scenario scenario,
    String target,
    String startedAt,
    double timeScale,
    long seed,
    int requestsPerPattern,
    double realSeconds,
    double simulatedSeconds,
    boolean costMetered,
    Pacing pacing,
    List<PatternResult> patterns,
    CostSummary unattributedCost,
    List<AssertionOutcome> assertions,
    List<String> findings) {

  public boolean assertionsHold() {
    return assertions.stream().allMatch(a -> a.holds() || a.wasSkipped());
  }

  public RunResult withVerdicts(List<AssertionOutcome> outcomes, List<String> notes) {
    return new RunResult(
        scenario,
        target,
        startedAt,
        timeScale,
        seed,
        requestsPerPattern,
        realSeconds,
        simulatedSeconds,
        costMetered,
        pacing,
        patterns,
        unattributedCost,
        outcomes,
        notes);
  }
}
