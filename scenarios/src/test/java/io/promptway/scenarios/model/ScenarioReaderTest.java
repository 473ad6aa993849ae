package io.promptway.scenarios.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.promptway.runtime.config.ConfigLoader;
import io.promptway.runtime.config.RuntimeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ScenarioReaderTest {
  private static final String VALID =
      """
      name: demo
      use_case: chatbot
      seed: 3
      time_scale: 10
      load:
        stages:
          - {type: poisson, rate: 2, duration: 1m}
          - {type: ramp, rate: 1, to_rate: 4, duration: 30s}
          - {type: burst, rate: 1, peak_rate: 10, every: 20s, length: 5s, duration: 1m}
      mix:
        - name: chat
          weight: 3
          prompt_tokens: {median: 50, p95: 120}
          output_tokens: 200
          user_tier: premium
          priority: 7
      llm:
        model: gpt-4o-mini
        ttft: {median: 300ms, p95: 900ms}
        inter_token: 7.6ms
        faults: {stream_drop: 0.05}
      deployment: {function_memory_mb: 512, api_type: http, integration_timeout: 30s}
      patterns: [sync, sse]
      assertions: ['sse.ttft.p95 < 1s', 'cost_per_1k < $0.50', 'error_rate < 1%']
      """;

  @Test
  void readsEverySectionOfAValidScenario() {
    Scenario s = ScenarioReader.parse("demo.yaml", VALID);
    assertEquals("demo", s.name());
    assertEquals(3, s.stages().size());
    assertEquals(150_000, s.durationMs());
    assertEquals(new Scenario.TokenRange(200, 200), s.mix().getFirst().outputTokens());
    assertEquals(List.of("sync", "sse"), s.patterns());
    assertEquals(7.6, s.llm().interToken().medianMs(), 1e-9);
    assertEquals(30_000, s.deployment().integrationTimeoutMs());
  }

  @Test
  void mapsTheLlmProfileAndDeploymentToRuntimeConfigKeys() {
    Map<String, Object> o = ScenarioReader.parse("demo.yaml", VALID).runtimeOverrides();
    assertEquals(Map.of("median", "300ms", "p95", "900ms"), o.get("llm.models.gpt-4o-mini.ttft"));
    assertEquals(
        Map.of("median", "7.6ms", "p95", "7.6ms"), o.get("llm.models.gpt-4o-mini.inter_token"));
    assertEquals("http", o.get("gateway.api_type"));
    assertEquals("30000ms", o.get("gateway.integration_timeout"));
    assertEquals(512, o.get("function.memory_mb"));
    assertEquals(10.0, o.get("time_scale"));
    assertEquals(0.05, ((Map<?, ?>) o.get("llm.models.gpt-4o-mini.faults")).get("stream_drop"));
  }

  @Test
  void theEventBusServesWithTheScenariosModelUnlessTheScenarioConfiguresTheBus() {
    Map<String, Object> o = ScenarioReader.parse("demo.yaml", VALID).runtimeOverrides();
    assertEquals("gpt-4o-mini", o.get("bus.model"));
    var bus = new ConfigLoader().load(null, o).bus();
    bus.processors()
        .keySet()
        .forEach(name -> assertEquals("gpt-4o-mini", bus.processor(name).model(), name));
  }

  @Test
  void namesFileLineAndColumnOfANegativeRate() {
    String yaml =
        """
        name: x
        load:
          stages:
            - type: poisson
              rate: -5
              duration: 1m
        mix:
          - weight: 1
        """;
    ScenarioException e =
        assertThrows(ScenarioException.class, () -> ScenarioReader.parse("scenarios/x.yaml", yaml));
    assertEquals("rate must be positive, got -5 at scenarios/x.yaml:5:13", e.getMessage());
  }

  @Test
  void reportsEveryProblemWithItsOwnPosition() {
    String yaml =
        """
        name: x
        colour: blue
        load:
          stages:
            - {type: sawtooth, rate: 1, duration: 1m}
        mix:
          - weight: 1
            user_tier: gold
        patterns: [sync, grpc]
        assertions: ['sse.ttft.p42 < 1s']
        """;
    ScenarioException e =
        assertThrows(ScenarioException.class, () -> ScenarioReader.parse("y.yaml", yaml));
    List<String> lines = e.problems().stream().map(ScenarioException.Problem::toString).toList();
    assertTrue(
        lines.contains(
            "unknown key 'colour' (known: [assertions, client, deployment, description, llm, load, mix, name, patterns, seed, time_scale, use_case]) at y.yaml:2:1"),
        lines.toString());
    assertTrue(
        lines.stream()
            .anyMatch(
                l -> l.startsWith("unknown stage type 'sawtooth'") && l.endsWith("at y.yaml:5:14")),
        lines.toString());
    assertTrue(
        lines.stream()
            .anyMatch(
                l -> l.startsWith("user_tier must be one of") && l.endsWith("at y.yaml:8:16")),
        lines.toString());
    assertTrue(
        lines.stream()
            .anyMatch(l -> l.startsWith("unknown pattern 'grpc'") && l.endsWith("at y.yaml:9:18")),
        lines.toString());
    assertTrue(
        lines.stream()
            .anyMatch(l -> l.contains("unknown statistic 'p42'") && l.endsWith("at y.yaml:10:14")),
        lines.toString());
  }

  private static List<String> problems(String yaml) {
    ScenarioException e =
        assertThrows(ScenarioException.class, () -> ScenarioReader.parse("v.yaml", yaml));
    return e.problems().stream().map(ScenarioException.Problem::toString).toList();
  }

  private static String withStage(String stage) {
    return "name: v\nload:\n  stages:\n    - " + stage + "\nmix: [{weight: 1}]\n";
  }

  private static final String ONE_STAGE = withStage("{type: constant, rate: 1, duration: 10s}");

  @Test
  void aTimeScaleTheRuntimeWouldRefuseIsRefusedWhereItIsWritten() {
    assertEquals(
        List.of("time_scale must be within 0.001..10000, got 1000000000 at v.yaml:1:13"),
        problems("time_scale: 1000000000\n" + ONE_STAGE));
    assertEquals(
        List.of("time_scale must be within 0.001..10000, got 1.0E-4 at v.yaml:1:13"),
        problems("time_scale: 0.0001\n" + ONE_STAGE));
    assertEquals(
        10_000, ScenarioReader.parse("v.yaml", "time_scale: 10000\n" + ONE_STAGE).timeScale());
    assertEquals(Scenario.MIN_TIME_SCALE, RuntimeConfig.MIN_TIME_SCALE);
    assertEquals(Scenario.MAX_TIME_SCALE, RuntimeConfig.MAX_TIME_SCALE);
  }

  @Test
  void aBareNumberRateAssertionIsRefusedWhereItIsWritten() {
    assertEquals(
        List.of(
            "assertion 'error_rate < 1': '1' has no %: write rates as percentages, e.g. error_rate"
                + " < 1% at v.yaml:6:14"),
        problems(ONE_STAGE + "assertions: ['error_rate < 1']\n"));
  }

  @Test
  void aSeedThatIsNotAWholeNumberIsRefusedNotTruncated() {
    assertEquals(
        List.of("seed must be a whole number within a 64-bit integer, got 1.5 at v.yaml:1:7"),
        problems("seed: 1.5\n" + ONE_STAGE));
    assertEquals(
        9_007_199_254_740_993L,
        ScenarioReader.parse("v.yaml", "seed: 9007199254740993\n" + ONE_STAGE).seed());
  }

  @Test
  void aRampToANegativeRateIsRefusedWhereItIsWritten() {
    assertEquals(
        List.of("to_rate must not be negative, got -1 at v.yaml:4:38"),
        problems(withStage("{type: ramp, rate: 1, to_rate: -1, duration: 10s}")));
  }

  @Test
  void aRampMayStartFromZero() {
    Scenario s =
        ScenarioReader.parse(
            "v.yaml", withStage("{type: ramp, rate: 0, to_rate: 5, duration: 10s}"));
    assertEquals(0, s.stages().getFirst().rate());
  }

  @Test
  void aClientTimeoutOfZeroIsRefused() {
    assertEquals(
        List.of("timeout must be positive, got 0s at v.yaml:6:19"),
        problems(
            withStage("{type: constant, rate: 1, duration: 10s}") + "client: {timeout: 0s}\n"));
  }

  @Test
  void aKeyWrittenTwiceIsRefusedNamingTheKeyAndBothLines() {
    assertEquals(
        List.of(
            "duplicate key 'name' (first at line 1): a key may appear once in a mapping at v.yaml:6:1"),
        problems(withStage("{type: constant, rate: 1, duration: 10s}") + "name: again\n"));
  }

  @Test
  void anEmptyNameIsRefusedBecauseItNamesTheResultFiles() {
    assertEquals(
        List.of("name must not be empty: it names the result files at v.yaml:1:7"),
        problems(
            withStage("{type: constant, rate: 1, duration: 10s}")
                .replace("name: v", "name: \"\"")));
  }

  @Test
  void aPatternListedTwiceIsRefusedNamingIt() {
    assertEquals(
        List.of("pattern 'sync' is listed twice at v.yaml:6:18"),
        problems(
            withStage("{type: constant, rate: 1, duration: 10s}") + "patterns: [sync, sync]\n"));
  }

  @Test
  void anUnknownUseCaseIsRefusedListingTheKnownOnes() {
    assertEquals(
        List.of(
            "unknown use_case 'chatbott' (known: chatbot, content-generation, api-integrations,"
                + " mobile, high-volume-saas, simple-mvp) at v.yaml:6:11"),
        problems(withStage("{type: constant, rate: 1, duration: 10s}") + "use_case: chatbott\n"));
  }

  @Test
  void aNegativeDurationGetsOneMessage() {
    assertEquals(
        List.of("duration must be positive, got -10s at v.yaml:4:43"),
        problems(withStage("{type: constant, rate: 1, duration: -10s}")));
  }

  @Test
  void anUnreadableDurationGetsOneMessageAndNoSpuriousRequiredOne() {
    assertEquals(
        List.of(
            "duration: '2d' is not a duration; write e.g. 400ms, 29s, 10m, 1h30m at v.yaml:4:43"),
        problems(withStage("{type: constant, rate: 1, duration: 2d}")));
  }

  @Test
  void compoundDurationsAreAccepted() {
    Scenario s =
        ScenarioReader.parse("v.yaml", withStage("{type: constant, rate: 0.001, duration: 1h30m}"));
    assertEquals(5_400_000, s.durationMs());
    assertEquals(150_000, Durations.parseMs("2m 30s"));
  }

  @Test
  void durationsOfAnHourOrMoreAreWrittenInHoursAndReadBackTheSame() {
    assertEquals("59m 59s", Durations.format(3_599_000));
    assertEquals("1h 0m 0s", Durations.format(3_600_000));
    assertEquals("27h 46m 40s", Durations.format(100_000_000));
    assertEquals(100_000_000, Durations.parseMs(Durations.format(100_000_000)));
  }

  @Test
  void anAstronomicalLoadIsRefusedInWordsNotAsInfinity() {
    List<String> problems = problems(withStage("{type: constant, rate: 1e300, duration: 10s}"));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(
        problems.getFirst().startsWith("load: more than 1,000,000,000,000,000 requests"),
        problems.toString());
  }

  @Test
  void aCompoundDurationOutOfOrderOrWithAUnitTwiceIsRefused() {
    for (String text : List.of("30m1h", "1h1h", "1s 1m")) {
      var e = assertThrows(IllegalArgumentException.class, () -> Durations.parseMs(text));
      assertTrue(e.getMessage().contains("from the largest unit down"), e.getMessage());
    }
  }

  @Test
  void aBurstWhosePeakIsBelowItsRateIsRefusedAtThePeak() {
    assertEquals(
        List.of(
            "peak_rate (0.5) must be at least rate (1): it is the rate inside a burst at"
                + " v.yaml:4:41"),
        problems(withStage("{type: burst, rate: 1, peak_rate: 0.5, length: 1s, duration: 30s}")));
  }

  @Test
  void aKeyTheStageTypeDoesNotUseIsRefusedNamingTheType() {
    assertEquals(
        List.of(
            "a poisson stage does not use 'to_rate' (it uses [duration, rate, type]) at v.yaml:4:32"),
        problems(withStage("{type: poisson, rate: 1, to_rate: 3, duration: 10s}")));
    assertEquals(
        List.of(
            "a ramp stage does not use 'length' (it uses [duration, rate, to_rate, type]) at"
                + " v.yaml:4:56"),
        problems(withStage("{type: ramp, rate: 1, to_rate: 3, duration: 10s, length: 1s}")));
  }

  @Test
  void twoMixClassesOfOneNameAreRefusedAtTheSecond() {
    assertEquals(
        List.of("mix class 'a' is named twice: results by class would be ambiguous at v.yaml:3:25"),
        problems(
            "name: v\nload: {stages: [{type: constant, rate: 1, duration: 10s}]}\n"
                + "mix: [{name: a}, {name: a}]\n"));
  }

  @Test
  void aBurstEveryOfZeroSaysEveryMustBePositive() {
    assertEquals(
        List.of("every must be positive, got 0s at v.yaml:4:78"),
        problems(
            withStage(
                "{type: burst, rate: 1, peak_rate: 5, length: 1s, duration: 10s, every: 0s}")));
  }

  @Test
  void aLoadTooLargeToPlanIsRefusedWithItsRequestCountBeforePlanning() {
    assertEquals(
        List.of(
            "load: about 86,400,000 requests per pattern; at most 1,000,000 can be planned:"
                + " shorten the stages or lower their rates at v.yaml:4:7"),
        problems(withStage("{type: constant, rate: 1000, duration: 24h}")));
  }

  @Test
  void aLoadThatPlansNoRequestIsRefusedNamingItsStages() {
    assertEquals(
        List.of(
            "load: a constant stage at 1/s for 5ms plans no request at all (with seed 42):"
                + " lengthen the stages or raise their rates at v.yaml:4:7"),
        problems(withStage("{type: constant, rate: 1, duration: 5ms}")));
  }

  @Test
  void promptsTooLongToPlanInMemoryAreRefusedNamingTheMixClass() {
    assertEquals(
        List.of(
            "mix class 'doc': its prompts of about 1,000,000 tokens on average, with the load's"
                + " about 3,000 requests per pattern, take about 12,000 MB of memory to plan; at"
                + " most 640 MB: shorten the prompts or the load at v.yaml:5:45"),
        problems(
            withStage("{type: constant, rate: 5, duration: 10m}")
                .replace(
                    "mix: [{weight: 1}]",
                    "mix: [{name: doc, weight: 1, prompt_tokens: 1000000, output_tokens: 100}]")));
    List<String> tail =
        problems(
            withStage("{type: constant, rate: 20, duration: 1000s}")
                .replace(
                    "mix: [{weight: 1}]",
                    "mix: [{name: doc, weight: 1, prompt_tokens: {median: 1000, p95: 1000000}}]"));
    assertEquals(1, tail.size(), tail.toString());
    assertTrue(
        tail.getFirst().startsWith("mix class 'doc': its prompts of about 8"), tail.toString());
  }

  @Test
  void aLoadTooLargeNamesEachStagesShare() {
    String yaml =
        "name: v\nload:\n  stages:\n"
            + "    - {type: constant, rate: 1, duration: 10s}\n"
            + "    - {type: ramp, rate: 0, to_rate: 2000, duration: 1h}\n"
            + "mix: [{weight: 1}]\n";
    assertEquals(
        List.of(
            "load: about 3,600,010 requests per pattern (stage 1: 10; stage 2: 3,600,000); at most"
                + " 1,000,000 can be planned: shorten the stages or lower their rates at v.yaml:4:5"),
        problems(yaml));
  }

  @Test
  void aBurstWhosePeakWouldTakeTooManyDrawsToPlanIsRefused() {
    List<String> p =
        problems(
            withStage(
                "{type: burst, rate: 0, peak_rate: 100000000, every: 1h, length: 1ms, duration: 2h}"));
    assertEquals(1, p.size(), p.toString());
    assertTrue(
        p.getFirst()
            .startsWith(
                "a burst stage at up to 100000000/s for 2h 0m 0s takes about 720,000,000,000"
                    + " random draws to plan"),
        p.toString());
  }

  @Test
  void aTokenCountBeyondAnyContextWindowIsRefusedInsteadOfOverflowing() {
    assertEquals(
        List.of(
            "prompt_tokens must be a whole number from 1 to 1,000,000, got 99999999999 at"
                + " v.yaml:5:34"),
        problems(
            withStage("{type: constant, rate: 1, duration: 10s}")
                .replace("mix: [{weight: 1}]", "mix: [{weight: 1, prompt_tokens: 99999999999}]")));
  }

  @Test
  void reportsYamlSyntaxErrorsWithPosition() {
    ScenarioException e =
        assertThrows(
            ScenarioException.class,
            () -> ScenarioReader.parse("z.yaml", "name: [unclosed\nload: 1\n"));
    assertEquals(
        "not valid YAML: while parsing a flow sequence (from line 1, column 7): expected ',' or"
            + " ']', but got : at z.yaml:2:5",
        e.getMessage());
  }

  @Test
  void requiresLoadAndMix() {
    ScenarioException e =
        assertThrows(ScenarioException.class, () -> ScenarioReader.parse("w.yaml", "name: w\n"));
    assertTrue(e.getMessage().contains("load.stages is required"), e.getMessage());
    assertTrue(e.getMessage().contains("mix is required"), e.getMessage());
  }

  @Test
  void everyLibraryScenarioIsValidAndSaysWhatItAnswers() throws Exception {
    try (var files = Files.list(Path.of("library"))) {
      List<Path> yamls = files.filter(p -> p.toString().endsWith(".yaml")).toList();
      assertEquals(6, yamls.size());
      for (Path p : yamls) {
        Scenario s = ScenarioReader.read(p);
        assertTrue(
            Files.readString(p).startsWith("# Question:"),
            p + " must open with the question it answers");
        assertTrue(!s.useCase().isEmpty(), p + " names a use case");
        // the runtime it configures must start: its settings within the config's bounds
        new ConfigLoader().load(null, s.runtimeOverrides());
      }
    }
  }

  @Test
  void theJsonSchemaDocumentsTheSameTopLevelKeysTheReaderAccepts() throws Exception {
    var schema =
        new ObjectMapper()
            .readTree(
                ScenarioReader.class.getResource("/io/promptway/scenarios/scenario.schema.json"));
    var documented = new TreeSet<String>();
    schema.path("properties").fieldNames().forEachRemaining(documented::add);
    ScenarioException e =
        assertThrows(
            ScenarioException.class, () -> ScenarioReader.parse("k.yaml", "name: k\nzzz: 1\n"));
    String known = e.problems().getFirst().message();
    assertEquals("unknown key 'zzz' (known: " + documented + ")", known);
  }
}
