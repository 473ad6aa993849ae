package io.promptway.scenarios.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class RuntimeSettingsTest {
  private static final String BASE =
      """
      name: rtts
      time_scale: 1
      load: {stages: [{type: constant, rate: 1, duration: 4s}]}
      mix: [{weight: 1, output_tokens: 20}]
      llm: {model: gpt-4o-mini, ttft: 500ms, inter_token: 10ms}
      patterns: [sync, sse]
      deployment:
        runtime:
      """;

  private static List<String> problems(String runtime) {
    ScenarioException e =
        assertThrows(
            ScenarioException.class, () -> ScenarioReader.parse("rt.yaml", BASE + runtime));
    return e.problems().stream().map(ScenarioException.Problem::toString).toList();
  }

  @Test
  void aRuntimeKeyTheScenarioSetsThroughItsOwnFieldIsRefusedWhereItIsWritten() {
    assertEquals(
        List.of(
            "deployment.runtime key 'time_scale' sets time_scale, which the scenario sets through"
                + " its own field time_scale: write it there instead at rt.yaml:9:5",
            "deployment.runtime key 'seed' sets seed, which the scenario sets through its own"
                + " field seed: write it there instead at rt.yaml:10:5",
            "deployment.runtime key 'function.memory_mb' sets function.memory_mb, which the"
                + " scenario sets through its own field deployment.function_memory_mb: write it"
                + " there instead at rt.yaml:11:5",
            "deployment.runtime key 'gateway.api_type' sets gateway.api_type, which the scenario"
                + " sets through its own field deployment.api_type: write it there instead at"
                + " rt.yaml:12:5",
            "deployment.runtime key 'llm.models.gpt-4o-mini.ttft.median' sets"
                + " llm.models.gpt-4o-mini.ttft, which the scenario sets through its own field"
                + " llm.ttft: write it there instead at rt.yaml:13:5",
            "deployment.runtime key 'llm.models.gpt-4o-mini.output_tokens' sets"
                + " llm.models.gpt-4o-mini.output_tokens, which the scenario sets through its own"
                + " field llm.output_tokens: write it there instead at rt.yaml:14:5",
            "deployment.runtime key 'llm' sets llm.default_model, which the scenario sets through"
                + " its own field llm.model: write it there instead at rt.yaml:15:5"),
        problems(
            """
                time_scale: 100
                seed: 7
                function.memory_mb: 2048
                gateway.api_type: http
                llm.models.gpt-4o-mini.ttft.median: 5ms
                llm.models.gpt-4o-mini.output_tokens: 50
                llm: 3
            """));
  }

  @Test
  void aRuntimeKeyTheScenarioLeavesToTheRuntimeIsPassedThrough() {
    Scenario s =
        ScenarioReader.parse(
            "rt.yaml",
            BASE.replace("ttft: 500ms, ", "")
                + "    gateway.max_tokens_cap: 16000\n"
                + "    llm.models.gpt-4o-mini.ttft: 40ms\n");
    assertEquals(16000L, ((Number) s.runtimeOverrides().get("gateway.max_tokens_cap")).longValue());
    assertEquals("40ms", s.runtimeOverrides().get("llm.models.gpt-4o-mini.ttft"));
  }
}
