package io.promptway.scenarios.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.scenarios.model.LoadSize;
import io.promptway.scenarios.model.Scenario;
import io.promptway.scenarios.model.ScenarioReader;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TokenSamplingTest {
  private static final Scenario.TokenRange HEAVY_TAIL = new Scenario.TokenRange(1000, 1_000_000);

  @Test
  void aLognormalTailIsCappedAtTheMostTokensAScenarioMayGive() {
    SplittableRandom random = new SplittableRandom(42);
    int max = 0;
    for (int i = 0; i < 100_000; i++)
      max = Math.max(max, WorkloadPlanner.sample(HEAVY_TAIL, random));
    assertEquals(Scenario.MAX_TOKENS, max);
  }

  @Test
  void theMeanThePlanningSizeAssumesIsTheMeanThePlannerDraws() {
    SplittableRandom random = new SplittableRandom(7);
    double sum = 0;
    int n = 400_000;
    for (int i = 0; i < n; i++) sum += WorkloadPlanner.sample(HEAVY_TAIL, random);
    double expected = LoadSize.meanTokens(HEAVY_TAIL);
    assertTrue(Math.abs(sum / n - expected) < expected * 0.03, sum / n + " vs " + expected);
    assertEquals(125, LoadSize.meanTokens(new Scenario.TokenRange(100, 300)), 1);
  }

  @Test
  void theMostRequestsWithTheDefaultPromptsFitThePlanningMemory() {
    Scenario.RequestClass defaults =
        ScenarioReader.parse(
                "d.yaml",
                "name: d\nload: {stages: [{type: constant, rate: 1, duration: 1s}]}\nmix: [{weight: 1}]\n")
            .mix()
            .getFirst();
    assertTrue(
        LoadSize.MAX_REQUESTS * LoadSize.bytesPerRequest(defaults) <= LoadSize.MAX_PLAN_BYTES);
  }
}
