package io.promptway.scenarios.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.promptway.scenarios.model.ScenarioReader;
import io.promptway.scenarios.replay.MeterRow;
import io.promptway.scenarios.result.AssertionOutcome;
import io.promptway.scenarios.result.CostSummary;
import io.promptway.scenarios.result.Findings;
import io.promptway.scenarios.result.LatencyStats;
import io.promptway.scenarios.result.Pacing;
import io.promptway.scenarios.result.PatternResult;
import io.promptway.scenarios.result.ResultJson;
import io.promptway.scenarios.result.RunResult;
import io.promptway.scenarios.result.TimePoint;
import io.promptway.scenarios.result.Verdicts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ReportsTest {
  static RunResult sample() {
    var scenario =
        ScenarioReader.parse(
            "s.yaml",
            """
            name: sample
            use_case: content-generation
            load: {stages: [{type: constant, rate: 1, duration: 100s}]}
            mix: [{weight: 1, interactive: false}]
            patterns: [sync, async]
            assertions: ['sync.timeout_rate < 5%', 'async.latency.p95 < 60s', 'cost_per_1k < $30']
            """);
    LatencyStats syncLat = new LatencyStats(86, 20_000, 18_000, 28_000, 28_500, 28_900, 29_000);
    LatencyStats asyncLat = new LatencyStats(100, 25_000, 22_000, 35_000, 40_000, 50_000, 55_000);
    var syncCost =
        CostSummary.of(
            List.of(
                new MeterRow("sync", "function.gb_second", "function", "", 3000, 0.05, 100),
                new MeterRow("sync", "output", "llm", "gpt-4o", 250_000, 2.5, 100)),
            100);
    var asyncCost =
        CostSummary.of(
            List.of(
                new MeterRow("async", "queue.request", "queue", "", 300, 0.0001, 100),
                new MeterRow("async", "output", "llm", "gpt-4o", 250_000, 2.5, 100)),
            100);
    List<double[]> curve =
        List.of(new double[] {0, 1000}, new double[] {50, 18_000}, new double[] {99, 28_900});
    var sync =
        new PatternResult(
            "sync",
            100,
            86,
            14,
            0,
            Map.of("timeout", 14L),
            0,
            30,
            30,
            0,
            21_500,
            syncLat,
            LatencyStats.EMPTY,
            syncLat,
            curve,
            List.of(new TimePoint(0, 18_000, 28_000, 50), new TimePoint(50, 19_000, 28_500, 36)),
            Map.of("sync", 86L),
            syncCost);
    var async =
        new PatternResult(
            "async",
            100,
            100,
            0,
            0,
            Map.of(),
            0,
            5,
            40,
            0,
            25_000,
            asyncLat,
            LatencyStats.EMPTY,
            asyncLat,
            curve,
            List.of(new TimePoint(0, 22_000, 35_000, 100)),
            Map.of("async", 100L),
            asyncCost);
    RunResult raw =
        new RunResult(
            scenario,
            "http://127.0.0.1:1/",
            "2026-01-01T00:00:00Z",
            20,
            42,
            100,
            5,
            100,
            true,
            new Pacing(200, 0.05, 0.4, 1.2, 0.02, 0.3, 0.1, 0.6, 1.5),
            List.of(sync, async),
            CostSummary.NONE,
            List.of(),
            List.of());
    RunResult checked = raw.withVerdicts(Verdicts.check(raw), List.of());
    return checked.withVerdicts(checked.assertions(), Findings.of(checked));
  }

  @Test
  void assertionsAreCheckedPerPatternAndFailWhenAnyFails() {
    RunResult r = sample();
    List<AssertionOutcome> a = r.assertions();
    assertEquals(4, a.size(), a.toString()); // cost_per_1k applies to both patterns
    assertFalse(a.getFirst().holds(), "14% timeouts break a 5% objective");
    assertTrue(a.get(1).holds(), a.toString());
    assertTrue(
        a.stream().filter(x -> x.assertion().startsWith("cost")).allMatch(AssertionOutcome::holds));
    assertFalse(r.assertionsHold());
  }

  @Test
  void findingsSayInPlainWordsThatSyncTimedOutWhileFunctionsKeptBilling() {
    assertTrue(
        sample()
            .findings()
            .contains(
                "sync: 14% of requests passed the 29.0s integration timeout; clients got 504 while functions kept billing."),
        sample().findings().toString());
  }

  @Test
  void htmlReportIsSelfContainedAndHasTheThreeCharts() {
    String html = HtmlReport.render(sample());
    assertFalse(html.toLowerCase().contains("<script"), "no scripts");
    assertFalse(
        Pattern.compile("(src|href)\\s*=\\s*\"(https?:)?//").matcher(html).find(),
        "no external resources");
    assertFalse(html.contains("<link"), "no external stylesheets");
    for (String id : List.of("latency-distribution", "ttft-over-time", "cost-by-component")) {
      assertTrue(html.contains("<svg class=\"chart\" id=\"" + id + "\""), id);
    }
    assertTrue(html.contains("<polyline"), "lines are drawn");
    assertTrue(html.contains("clients got 504 while functions kept billing"));
    assertTrue(html.contains("class=\"fail\">FAIL"));
  }

  @Test
  void jsonRoundTripsEveryFigureAndTheScenario() {
    RunResult r = sample();
    RunResult back = ResultJson.read(ResultJson.write(r));
    assertEquals(r.scenario(), back.scenario());
    assertEquals(r.patterns().getFirst().latency(), back.patterns().getFirst().latency());
    assertEquals(r.patterns().getFirst().cost(), back.patterns().getFirst().cost());
    assertEquals(r.assertions(), back.assertions());
    assertEquals(r.findings(), back.findings());
    assertEquals(HtmlReport.render(r), HtmlReport.render(back));
  }

  @Test
  void whatWasNotMeasuredIsNullInTheJsonAndAFileWithTheOldZerosReRendersTheSame() throws Exception {
    RunResult s = sample();
    List<AssertionOutcome> outcomes = new ArrayList<>(s.assertions());
    outcomes.add(AssertionOutcome.skipped("sse.ttft.p95 < 1s", "sse"));
    RunResult r = s.withVerdicts(outcomes, s.findings());
    String json = ResultJson.write(r);

    var mapper = new ObjectMapper();
    JsonNode tree = mapper.readTree(json);
    ObjectNode itl = (ObjectNode) tree.at("/patterns/0/inter_token");
    assertEquals(0, itl.get("count").asLong());
    ObjectNode skipped = (ObjectNode) tree.at("/assertions/" + (outcomes.size() - 1));
    assertTrue(skipped.get("actual").isNull(), json);
    ObjectNode latency = (ObjectNode) tree.at("/patterns/0/latency");
    for (String stat : List.of("mean", "p50", "p90", "p95", "p99", "max")) {
      assertTrue(itl.get(stat).isNull(), stat + " of nothing measured: " + itl);
      assertTrue(latency.get(stat).isNumber(), stat + " of what was: " + latency);
      itl.put(stat, 0.0); // as files written before wrote it
    }
    skipped.put("actual", "NaN");
    RunResult fromNew = ResultJson.read(json);
    RunResult fromOld = ResultJson.read(mapper.writeValueAsString(tree));

    assertEquals(r.assertions(), fromNew.assertions());
    assertEquals(r.patterns().getFirst().interToken(), fromNew.patterns().getFirst().interToken());
    for (Function<RunResult, String> render :
        List.<Function<RunResult, String>>of(
            TableReport::render, CsvReport::render, HtmlReport::render)) {
      assertEquals(render.apply(r), render.apply(fromNew));
      assertEquals(render.apply(r), render.apply(fromOld));
    }
  }

  @Test
  void chartsOfARunThatCompletedNothingSaySoInsteadOfDrawingAxesWithMadeUpTicks() {
    PatternResult p = sample().patterns().getFirst();
    PatternResult none =
        new PatternResult(
            p.pattern(),
            10,
            0,
            10,
            0,
            Map.of(),
            0,
            1,
            1,
            0,
            0,
            LatencyStats.EMPTY,
            LatencyStats.EMPTY,
            LatencyStats.EMPTY,
            List.of(),
            List.of(),
            Map.of(),
            p.cost());
    for (String svg :
        List.of(
            SvgCharts.latencyDistribution(List.of(none)), SvgCharts.ttftOverTime(List.of(none)))) {
      assertTrue(svg.contains(">no completed requests</text>"), svg);
      assertFalse(svg.contains("<line"), svg);
      assertFalse(svg.contains("ms</text>"), svg);
    }
  }

  @Test
  void theCostChartReRenderedFromTheJsonShowsWhatTheRunShowed() {
    RunResult s = sample();
    PatternResult p = s.patterns().getFirst();
    double noisy = 1.87499999999999E-5; // a sum of meter rows: $0.00001875 less binary noise
    PatternResult sse =
        new PatternResult(
            "sse",
            10,
            10,
            0,
            0,
            Map.of(),
            0,
            1,
            1,
            0,
            p.outputTokens(),
            p.ttft(),
            p.interToken(),
            p.latency(),
            p.latencyCurve(),
            p.ttftOverTime(),
            Map.of("sse", 10L),
            new CostSummary(noisy, noisy / 10 * 1000, Map.of("state", noisy), List.of()));
    RunResult run =
        new RunResult(
            s.scenario(),
            s.target(),
            s.startedAt(),
            s.timeScale(),
            s.seed(),
            10,
            s.realSeconds(),
            s.simulatedSeconds(),
            true,
            s.pacing(),
            List.of(sse),
            CostSummary.NONE,
            List.of(),
            List.of());

    String written = SvgCharts.costByComponent(run.patterns());
    String reRendered =
        SvgCharts.costByComponent(ResultJson.read(ResultJson.write(run)).patterns());

    assertEquals(written, reRendered);
    assertTrue(written.contains("sse state: $0.00188 per 1k"), written);
  }

  @Test
  void jsonFiguresLeaveOutTheBinaryNoiseOfTheirSums() {
    String written = ResultJson.write(sample());
    assertTrue(written.contains("\"total_usd\" : 2.55,"), written);
    String noisy =
        written
            .replace("\"total_usd\" : 2.55,", "\"total_usd\" : 0.044220749999999955,")
            .replace("\"llm\" : 2.5", "\"llm\" : 5.674999999999927E-4");

    String json = ResultJson.write(ResultJson.read(noisy));

    assertTrue(json.contains("\"total_usd\" : 0.04422075,"), json);
    assertTrue(json.contains("\"llm\" : 5.675E-4"), json);
    assertFalse(json.contains("99999"), json);
  }

  @Test
  void csvHasOneRowPerPatternWithCostByComponent() {
    String[] lines = CsvReport.render(sample()).split("\n");
    assertEquals(3, lines.length);
    assertTrue(lines[0].contains("cost_function_usd") && lines[0].contains("cost_queue_usd"));
    assertTrue(lines[1].startsWith("sample,sync,100,86,14,0,14,"), lines[1]);
  }

  @Test
  void recommenderRanksOnMeasuredFiguresAndComparesWithTheArticle() {
    Recommendation rec = Recommender.recommend(sample());
    assertEquals("async", rec.ranking().getFirst().pattern(), rec.toString());
    assertEquals("async", rec.articlePick());
    assertTrue(rec.agreement().startsWith("Agrees with the article"), rec.agreement());
    assertTrue(Recommender.render(rec).contains("14 integration timeouts"));
  }

  /** The sample with the given patterns' requests all unfinished: nothing completed. */
  private static RunResult completedNothing(String... patterns) {
    String json = ResultJson.write(sample());
    for (String p : patterns) json = withCount(json, p, "completed", 0);
    RunResult r = ResultJson.read(json);
    return r.withVerdicts(r.assertions(), Findings.of(r));
  }

  /** {@code json} with the count {@code field} of {@code pattern} set to {@code n}. */
  private static String withCount(String json, String pattern, String field, long n) {
    int i = json.indexOf("\"pattern\" : \"" + pattern + "\",");
    int c = json.indexOf("\"" + field + "\" : ", i);
    int end = json.indexOf(',', c);
    return json.substring(0, c) + "\"" + field + "\" : " + n + json.substring(end);
  }

  @Test
  void timeoutRateCountsTheClientsTimeoutsAsWellAsTheGateways() {
    String json =
        withCount(ResultJson.write(sample()), "async", "completed", 90)
            .replace("\"errors\" : { },", "\"errors\" : { \"client_timeout\" : 10 },")
            .replace("sync.timeout_rate < 5%", "async.timeout_rate < 5%");
    RunResult r = ResultJson.read(json);

    AssertionOutcome async = Verdicts.check(r).getFirst();

    assertEquals(0.14, r.patterns().get(0).metric("timeout_rate", "p95"), 1e-9);
    assertEquals(0.10, r.patterns().get(1).metric("timeout_rate", "p95"), 1e-9);
    assertEquals("async", async.pattern());
    assertFalse(async.holds(), async.toString());
    assertTrue(
        TableReport.render(r).contains("the client's own (client.timeout) are among the errors"),
        TableReport.render(r));
  }

  @Test
  void aPatternThatSentNothingIsSaidToHaveSentNothingRatherThanToHaveFailed() {
    String json = ResultJson.write(sample());
    json = withCount(withCount(json, "async", "sent", 0), "async", "completed", 0);

    String text = Recommender.render(Recommender.recommend(ResultJson.read(json)));

    assertTrue(text.contains("sent no requests"), text);
    assertFalse(text.contains("of its 0 requests"), text);
    assertFalse(text.contains("100.0% failed"), text);
  }

  @Test
  void aPatternThatCompletedNothingRanksLastAndIsNeverTheCheapest() {
    RunResult r = completedNothing("async");

    Recommendation rec = Recommender.recommend(r);

    assertEquals("sync", rec.ranking().getFirst().pattern(), rec.toString());
    assertTrue(
        rec.ranking().getLast().reasons().contains("completed none of its 100 requests"),
        rec.toString());
    assertFalse(
        r.findings().stream().anyMatch(f -> f.startsWith("async is the cheapest")),
        r.findings().toString());
  }

  @Test
  void whenNoPatternCompletedARequestTheRecommendationSaysThereIsNothingToRank() {
    Recommendation rec = Recommender.recommend(completedNothing("sync", "async"));

    assertTrue(rec.agreement().startsWith("No pattern completed a request"), rec.agreement());
  }

  @Test
  void recommendationSaysHowTheScoreIsMadeAndThatLowerIsBetter() {
    Recommendation rec = Recommender.recommend(sample());
    String header = Recommender.render(rec).lines().findFirst().orElseThrow();

    assertTrue(
        header.contains(
            "score = 0.5 x latency/best + 0.3 x cost/cheapest + 20 x failure rate, lower is better"),
        header);
    List<Recommendation.Ranked> ranking = rec.ranking();
    for (int i = 1; i < ranking.size(); i++) {
      assertTrue(ranking.get(i - 1).score() <= ranking.get(i).score(), ranking.toString());
    }
  }

  @Test
  void aSavedResultWhosePatternLacksItsLatenciesIsRefusedNamingThePart() {
    String json =
        ResultJson.write(sample())
            .replaceFirst("\"ttft\"\\s*:\\s*\\{", "\"time_to_first_token\": {");

    var e = assertThrows(IllegalArgumentException.class, () -> ResultJson.read(json));

    assertEquals("result: not a Promptway result: it has no 'patterns[0].ttft'", e.getMessage());
  }
}
