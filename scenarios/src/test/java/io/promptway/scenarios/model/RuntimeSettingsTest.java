package io.promptway.scenarios.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.promptway.runtime.config.ConfigLoader;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  @Test
  void aNestedMappingSetsTheDottedKeysOfItsLeavesNotTheWholeBlock() {
    Scenario s =
        ScenarioReader.parse(
            "rt.yaml",
            BASE
                + "    gateway: {throttle: {steady_rps: 5}}\n"
                + "    prices: {function.gb_second: 0.00002}\n");
    Map<String, Object> o = s.runtimeOverrides();
    assertEquals(5L, ((Number) o.get("gateway.throttle.steady_rps")).longValue());
    var config = new ConfigLoader().load(null, o);
    assertEquals(5, config.gateway().throttle().steadyRps(), 1e-9);
    assertEquals(4096, config.gateway().maxTokensCap());
  }

  @Test
  void aKeySetTwiceOnceDottedAndOnceNestedIsRefusedAtItsSecondPlace() {
    assertEquals(
        List.of(
            "deployment.runtime sets 'gateway.throttle.steady_rps' twice (first at line 9)"
                + " at rt.yaml:10:26"),
        problems("    gateway.throttle.steady_rps: 5\n    gateway: {throttle: {steady_rps: 6}}\n"));
  }

  @Test
  void eachSettingTheRuntimeRefusesIsPlacedAtTheKeyThatSetIt() {
    RuntimeRules rules =
        new RuntimeRules() {
          @Override
          public Set<String> knownModels() {
            return Set.of("gpt-4o-mini");
          }

          @Override
          public List<Refusal> refuses(Map<String, Object> settings) {
            return List.of(
                new Refusal(
                    "gateway.max_tokens_cap", "'gateway.max_tokens_cap': 'abc' is no number"),
                new Refusal("async.workerz", "unknown key 'async.workerz'"),
                new Refusal("gateway.api_type", "api_type is wrong"),
                new Refusal(null, "something else"));
          }
        };
    ScenarioException e =
        assertThrows(
            ScenarioException.class,
            () ->
                ScenarioReader.parse(
                    "rt.yaml",
                    BASE + "    gateway: {max_tokens_cap: abc}\n" + "    async.workerz: 3\n",
                    rules));
    assertEquals(
        List.of(
            "the runtime refuses this setting: 'gateway.max_tokens_cap': 'abc' is no number at"
                + " rt.yaml:9:15",
            "the runtime refuses this setting: unknown key 'async.workerz' at rt.yaml:10:5",
            "the runtime refuses this setting: api_type is wrong at rt.yaml:8:3",
            "the runtime refuses this setting: something else at rt.yaml:8:3"),
        e.problems().stream().map(ScenarioException.Problem::toString).toList());
  }
}
