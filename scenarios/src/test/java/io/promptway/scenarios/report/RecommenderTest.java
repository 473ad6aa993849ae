package io.promptway.scenarios.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.scenarios.model.ScenarioReader;
import io.promptway.scenarios.replay.MeterRow;
import io.promptway.scenarios.result.CostSummary;
import io.promptway.scenarios.result.LatencyStats;
import io.promptway.scenarios.result.Pacing;
import io.promptway.scenarios.result.PatternResult;
import io.promptway.scenarios.result.RunResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecommenderTest {
  /**
   * A pattern that sent {@code sent} requests and completed {@code completed} with an end-to-end
   * p95 of {@code latencyMs} (none measured when nothing completed), billed {@code usd}; the rest
   * failed as {@code errors} says.
   */
  private static PatternResult pattern(
      String name,
      long sent,
      long completed,
      double latencyMs,
      double usd,
      Map<String, Long> errors) {
    LatencyStats lat =
        completed == 0
            ? LatencyStats.EMPTY
            : new LatencyStats(
                completed, latencyMs, latencyMs, latencyMs, latencyMs, latencyMs, latencyMs);
    return new PatternResult(
        name,
        sent,
        completed,
        errors.getOrDefault("timeout", 0L),
        errors.getOrDefault("throttled", 0L),
        errors,
        0,
        1,
        1,
        0,
        100,
        lat,
        LatencyStats.EMPTY,
        lat,
        List.of(),
        List.of(),
        completed == 0 ? Map.of() : Map.of(name, completed),
        CostSummary.of(List.of(new MeterRow(name, "output", "llm", "gpt-4o", 1, usd, sent)), sent));
  }

  private static RunResult run(String useCase, PatternResult... patterns) {
    String names =
        String.join(", ", List.of(patterns).stream().map(PatternResult::pattern).toList());
    var scenario =
        ScenarioReader.parse(
            "s.yaml",
            """
            name: s
            %s
            load: {stages: [{type: constant, rate: 1, duration: 10s}]}
            mix: [{weight: 1, interactive: false}]
            patterns: [%s]
            """
                .formatted(useCase == null ? "" : "use_case: " + useCase, names));
    return new RunResult(
        scenario,
        "http://127.0.0.1:1/",
        "2026-01-01T00:00:00Z",
        1,
        42,
        10,
        10,
        10,
        true,
        new Pacing(10, 0, 0, 0, 0, 0, 0, 0, 0),
        List.of(patterns),
        CostSummary.NONE,
        List.of(),
        List.of());
  }

  private static PatternResult allFailed(String name) {
    return pattern(name, 10, 0, 0, 0.01, Map.of("throttled", 10L));
  }

  @Test
  void whenNoPatternCompletedARequestNothingIsRankedWithOrWithoutAUseCase() {
    for (String useCase : new String[] {null, "chatbot"}) {
      Recommendation rec = Recommender.recommend(run(useCase, allFailed("sse"), allFailed("sync")));
      String text = Recommender.render(rec);

      assertEquals(List.of(), rec.ranking(), text);
      assertEquals(
          "Recommendation for s: No pattern completed a request, so there is nothing to rank; see"
              + " the failures (and lower --time-scale if the machine could not keep up).\n",
          text);
    }
  }

  @Test
  void aLatencyNotMeasuredIsSaidSoWithoutAMultiplier() {
    Recommendation rec =
        Recommender.recommend(
            run(null, pattern("sync", 10, 10, 500, 0.01, Map.of()), allFailed("sse")));
    List<String> reasons = rec.ranking().getLast().reasons();

    assertEquals("sse", rec.ranking().getLast().pattern(), rec.toString());
    assertEquals("latency p95 not measured", reasons.getFirst(), reasons.toString());
  }

  @Test
  void patternsWithEqualScoresShareTheirRankAndTheArticleIsNotSaidToAgreeOnATie() {
    Recommendation rec =
        Recommender.recommend(
            run(
                "chatbot",
                pattern("sse", 10, 10, 500, 0.01, Map.of()),
                pattern("websocket", 10, 10, 500, 0.01, Map.of()),
                pattern("sync", 10, 10, 900, 0.01, Map.of())));

    assertEquals(
        List.of(1, 1, 3), rec.ranking().stream().map(Recommendation.Ranked::rank).toList());
    assertTrue(rec.ranking().getFirst().reasons().contains("tied with websocket"), rec.toString());
    assertEquals(
        "Ties with the article: websocket shares first place here with sse.", rec.agreement());
    assertTrue(Recommender.render(rec).contains("  1. websocket"), Recommender.render(rec));
  }

  @Test
  void aTieForFirstWithoutTheArticlesPickIsSaidToBeATie() {
    Recommendation rec =
        Recommender.recommend(
            run(
                "chatbot",
                pattern("sse", 10, 10, 500, 0.01, Map.of()),
                pattern("sync", 10, 10, 500, 0.01, Map.of()),
                pattern("websocket", 10, 10, 900, 0.01, Map.of())));

    assertEquals(
        "Differs from the article: it recommends websocket, which ranks #3 here; sse and sync"
            + " tie for first on the measured figures.",
        rec.agreement());
  }

  @Test
  void aFailureReasonNamesEveryKindOfFailure() {
    Recommendation rec =
        Recommender.recommend(
            run(
                null,
                pattern(
                    "sync",
                    40,
                    10,
                    500,
                    0.01,
                    Map.of("throttled", 19L, "timeout", 9L, "dropped", 2L))));

    assertTrue(
        rec.ranking()
            .getFirst()
            .reasons()
            .contains("75.0% failed (9 integration timeouts, 19 throttled, 2 dropped)"),
        rec.toString());
  }

  @Test
  void whenPatternsCompletedDifferentSharesCostIsComparedPerCompletedRequest() {
    Recommendation rec =
        Recommender.recommend(
            run(
                null,
                pattern("sync", 40, 12, 500, 0.00196, Map.of("throttled", 28L)),
                pattern("sse", 40, 21, 500, 0.0021, Map.of("throttled", 19L)),
                allFailed("websocket")));

    assertTrue(rec.basis().contains("cost per 1,000 completed requests"), rec.basis());
    Map<String, List<String>> reasons =
        rec.ranking().stream()
            .collect(
                java.util.stream.Collectors.toMap(
                    Recommendation.Ranked::pattern, Recommendation.Ranked::reasons));
    assertTrue(
        reasons.get("sse").contains("$0.100 per 1,000 completed requests (1.00x the cheapest)"),
        rec.toString());
    assertTrue(
        reasons.get("sync").contains("$0.163 per 1,000 completed requests (1.63x the cheapest)"),
        rec.toString());
    assertTrue(
        reasons.get("websocket").contains("$0.010 billed for no completed request"),
        rec.toString());
  }
}
