package io.promptway.scenarios.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.runtime.config.ConfigLoader;
import io.promptway.scenarios.model.Scenario;
import io.promptway.scenarios.model.ScenarioReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Requests are planned within the max_tokens cap the runtime documents, embedded or not. */
class MaxTokensCapTest {
  private static final String LONG =
      """
      name: long
      load: {stages: [{type: constant, rate: 10, duration: 20s}]}
      mix: [{weight: 1, output_tokens: {median: 5000, p95: 9000}}]
      """;

  @Test
  void theEmbeddedRuntimeKeepsTheCapAServedRuntimeHasAndTheLongTailIsSentAtTheCap() {
    Scenario s = ScenarioReader.parse("long.yaml", LONG);
    int served = new ConfigLoader().load(null, Map.of()).gateway().maxTokensCap();
    int embedded = new ConfigLoader().load(null, s.runtimeOverrides()).gateway().maxTokensCap();
    List<PlannedRequest> plan = WorkloadPlanner.plan(s);

    assertEquals(served, embedded);
    assertEquals(served, Scenario.DEFAULT_MAX_TOKENS_CAP);
    assertTrue(plan.stream().allMatch(r -> r.maxTokens() <= served), "every request fits the cap");
    assertTrue(plan.stream().anyMatch(r -> r.maxTokens() == served), "the tail is sent at the cap");
    assertEquals(1, s.warnings().size(), s.warnings().toString());
    assertTrue(s.warnings().getFirst().contains("p95 9000"), s.warnings().toString());
  }

  @Test
  void aScenarioThatRaisesTheCapPlansUpToItsOwnCap() {
    Scenario s =
        ScenarioReader.parse(
            "raised.yaml", LONG + "deployment: {runtime: {gateway.max_tokens_cap: 16000}}\n");
    List<PlannedRequest> plan = WorkloadPlanner.plan(s);

    assertEquals(
        16000, new ConfigLoader().load(null, s.runtimeOverrides()).gateway().maxTokensCap());
    assertTrue(plan.stream().anyMatch(r -> r.maxTokens() > Scenario.DEFAULT_MAX_TOKENS_CAP));
    assertTrue(plan.stream().allMatch(r -> r.maxTokens() <= 16000));
    assertTrue(s.warnings().isEmpty(), s.warnings().toString());
  }
}
