package io.promptway.scenarios.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.runtime.config.ConfigLoader;
import io.promptway.scenarios.model.Scenario;
import io.promptway.scenarios.model.ScenarioReader;
import org.junit.jupiter.api.Test;

/** Prompts past the gateway's limit would all be refused; validation says so beforehand. */
class PromptLimitTest {
  private static final String LONG_PROMPTS =
      """
      name: long
      load: {stages: [{type: constant, rate: 1, duration: 5s}]}
      mix: [{name: dossier, weight: 1, prompt_tokens: 30000, output_tokens: 100}]
      """;

  @Test
  void promptsLongerThanTheGatewayAcceptsAreWarnedAbout() {
    Scenario s = ScenarioReader.parse("long.yaml", LONG_PROMPTS);
    int limit = new ConfigLoader().load(null, s.runtimeOverrides()).gateway().maxPromptChars();

    assertEquals(Scenario.DEFAULT_MAX_PROMPT_CHARS, limit);
    assertTrue(WorkloadPlanner.plan(s).stream().allMatch(r -> r.prompt().length() > limit));
    assertEquals(1, s.warnings().size(), s.warnings().toString());
    assertEquals(
        "mix class 'dossier': prompt_tokens p95 30000 is about 120,000 characters, above the"
            + " runtime's gateway.max_prompt_chars of 100,000, so the gateway refuses most or all"
            + " of its requests (400, prompt too long); shorten the prompts or raise"
            + " gateway.max_prompt_chars under deployment.runtime (and on a --target runtime)",
        s.warnings().getFirst());
  }

  @Test
  void aScenarioThatRaisesTheGatewayLimitIsNotWarned() {
    Scenario s =
        ScenarioReader.parse(
            "raised.yaml",
            LONG_PROMPTS + "deployment: {runtime: {gateway: {max_prompt_chars: 200000}}}\n");

    assertEquals(200_000, s.maxPromptChars());
    assertEquals(
        200_000, new ConfigLoader().load(null, s.runtimeOverrides()).gateway().maxPromptChars());
    assertTrue(s.warnings().isEmpty(), s.warnings().toString());
  }
}
