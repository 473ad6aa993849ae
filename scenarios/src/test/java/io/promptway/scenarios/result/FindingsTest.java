package io.promptway.scenarios.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.scenarios.model.ScenarioReader;
import io.promptway.scenarios.replay.MeterRow;
import io.promptway.scenarios.report.HtmlReport;
import io.promptway.scenarios.report.TableReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FindingsTest {
  /** A pattern whose requests all completed with the given time to first token (median = p95). */
  static PatternResult pattern(
      String name, double ttftMs, boolean streamed, Map<String, Double> costByComponent) {
    LatencyStats ttft = new LatencyStats(10, ttftMs, ttftMs, ttftMs, ttftMs, ttftMs, ttftMs);
    LatencyStats itl = streamed ? new LatencyStats(90, 10, 10, 10, 10, 10, 10) : LatencyStats.EMPTY;
    List<MeterRow> rows = new ArrayList<>();
    costByComponent.forEach(
        (c, usd) -> rows.add(new MeterRow(name, c + ".unit", c, "", 1, usd, 10)));
    return new PatternResult(
        name,
        10,
        10,
        0,
        0,
        Map.of(),
        0,
        1,
        1,
        0,
        100,
        ttft,
        itl,
        ttft,
        List.of(),
        List.of(),
        Map.of(name, 10L),
        CostSummary.of(rows, 10));
  }

  static RunResult run(List<String> assertions, PatternResult... patterns) {
    return run(1, new Pacing(10, 0, 0, 0, 0, 0, 0, 0, 0), assertions, patterns);
  }

  static RunResult run(
      double timeScale, Pacing pacing, List<String> assertions, PatternResult... patterns) {
    String names =
        String.join(", ", List.of(patterns).stream().map(PatternResult::pattern).toList());
    var scenario =
        ScenarioReader.parse(
            "s.yaml",
            """
            name: s
            load: {stages: [{type: constant, rate: 1, duration: 10s}]}
            mix: [{weight: 1}]
            patterns: [%s]
            assertions: [%s]
            """
                .formatted(
                    names,
                    String.join(", ", assertions.stream().map(a -> "'" + a + "'").toList())));
    RunResult raw =
        new RunResult(
            scenario,
            "http://127.0.0.1:1/",
            "2026-01-01T00:00:00Z",
            timeScale,
            42,
            10,
            10,
            10,
            true,
            pacing,
            List.of(patterns),
            CostSummary.NONE,
            List.of(),
            List.of());
    RunResult checked = raw.withVerdicts(Verdicts.check(raw), List.of());
    return checked.withVerdicts(checked.assertions(), Findings.of(checked));
  }

  static final Map<String, Double> BILL = Map.of("llm", 1.0, "function", 0.25);

  @Test
  void aMachineLaggingByAFifthOfTheFastestLatencyAtATimeScaleIsSaidToBeInTheFigures() {
    // 10 ms late on the wire at time scale 20 reads as 200 ms, against a fastest median of 600 ms
    Pacing lagging = new Pacing(10, 1, 2, 3, 1, 1, 5, 10, 12);
    RunResult r =
        run(
            20,
            lagging,
            List.of(),
            pattern("sync", 600, false, BILL),
            pattern("sse", 900, true, BILL));

    assertTrue(
        r.findings().stream()
            .anyMatch(
                f ->
                    f.startsWith(
                        "At time scale 20 each real millisecond of this machine's own delay reads"
                            + " as 20 ms simulated: requests went on the wire up to 10.0 ms late"
                            + " (p99, real), 200ms simulated, against a fastest median latency of"
                            + " 600ms. These latencies, and the function durations billed with"
                            + " them, measure the machine")),
        r.findings().toString());
  }

  @Test
  void aSecondOfSimulatedLatenessIsSaidToBeInTheFiguresEvenWhenItInflatedThemAll() {
    // at time scale 1000, 5 ms late on the wire reads as 5 s; the machine's delays have inflated
    // every latency too (9 min), so a fifth of the fastest median is no reference any more
    Pacing lagging = new Pacing(10, 1, 2, 3, 1, 1, 4, 5, 6);
    RunResult inflated = run(1000, lagging, List.of(), pattern("sync", 530_000, false, BILL));
    assertTrue(
        inflated.findings().stream()
            .anyMatch(
                f ->
                    f.startsWith(
                        "At time scale 1000 each real millisecond of this machine's own delay"
                            + " reads as 1000 ms simulated: requests went on the wire up to 5.0 ms"
                            + " late (p99, real), 5.0s simulated, against a fastest median latency"
                            + " of 8m 50s.")),
        inflated.findings().toString());

    PatternResult none = pattern("sync", 600, false, BILL);
    none =
        new PatternResult(
            "sync",
            10,
            0,
            0,
            0,
            Map.of(),
            10,
            0,
            0,
            0,
            100,
            LatencyStats.EMPTY,
            LatencyStats.EMPTY,
            LatencyStats.EMPTY,
            List.of(),
            List.of(),
            Map.of("sync", 10L),
            none.cost());
    RunResult nothingDone = run(10_000, lagging, List.of(), none);
    assertTrue(
        nothingDone.findings().stream()
            .anyMatch(
                f ->
                    f.startsWith(
                            "At time scale 10000 each real millisecond of this machine's own"
                                + " delay reads as 10000 ms simulated: requests went on the wire"
                                + " up to 5.0 ms late (p99, real), ")
                        && f.contains("simulated. These latencies")),
        nothingDone.findings().toString());
  }

  @Test
  void aMachineThatKeptUpOrARunAtTimeScaleOneGetsNoWordAboutIt() {
    Pacing lagging = new Pacing(10, 1, 2, 3, 1, 1, 5, 10, 12);
    Pacing steady = new Pacing(10, 0, 0, 0, 0, 0, 0.2, 0.5, 1);
    for (RunResult r :
        List.of(
            run(1, lagging, List.of(), pattern("sync", 600, false, BILL)),
            run(20, steady, List.of(), pattern("sync", 600, false, BILL)))) {
      assertFalse(
          r.findings().stream().anyMatch(f -> f.contains("measure the machine")),
          r.findings().toString());
    }
  }

  @Test
  void aStreamingPatternSlowerThanSyncIsSaidToBeLaterNotSooner() {
    RunResult r =
        run(
            List.of(),
            pattern("sync", 30_000, false, BILL),
            pattern("websocket", 46_000, true, BILL));

    assertTrue(
        r.findings()
            .contains(
                "websocket shows the first token 1.5x later than sync at the median (46.0s vs 30.0s)."),
        r.findings().toString());
  }

  @Test
  void aStreamingPatternFasterThanSyncIsSaidToBeSooner() {
    RunResult r =
        run(List.of(), pattern("sync", 600, false, BILL), pattern("sse", 300, true, BILL));

    assertTrue(
        r.findings()
            .contains(
                "sse shows the first token 2.0x sooner than sync at the median (300ms vs 600ms)."),
        r.findings().toString());
  }

  @Test
  void aComponentUnderHalfTheBillIsTheLargestPartNotMost() {
    RunResult r =
        run(
            List.of(),
            pattern("sync", 600, false, Map.of("llm", 0.78, "function", 0.22)),
            pattern("async", 700, false, Map.of("llm", 0.13, "function", 0.87)));

    assertTrue(
        r.findings()
            .contains(
                "sync: besides the model's tokens, the largest part of the bill is function (22% of the total)."),
        r.findings().toString());
    assertTrue(
        r.findings()
            .contains(
                "async: most of the bill is function (87% of the total), more than the model's tokens."),
        r.findings().toString());
  }

  @Test
  void noFirstTokenRankingWhenNoComparedPatternStreams() {
    RunResult r =
        run(List.of(), pattern("async", 1400, false, BILL), pattern("hybrid", 1200, false, BILL));

    assertTrue(
        r.findings().stream().noneMatch(f -> f.contains("first token")), r.findings().toString());
  }

  @Test
  void firstTokenRankingIsKeptWhenAComparedPatternStreams() {
    RunResult r =
        run(List.of(), pattern("async", 1400, false, BILL), pattern("sse", 300, true, BILL));

    assertTrue(
        r.findings().stream()
            .anyMatch(f -> f.startsWith("Users see the first token soonest with sse")),
        r.findings().toString());
  }

  @Test
  void aRunWithNothingToSayHasNoFindingsHeading() {
    RunResult r = run(List.of(), pattern("sync", 600, false, Map.of()));

    assertEquals(List.of(), r.findings());
    assertFalse(TableReport.render(r).contains("Findings"), TableReport.render(r));
    assertFalse(HtmlReport.render(r).contains("<h2>Findings</h2>"));
  }

  @Test
  void anAssertionAboutAPatternNotRunIsSkippedWithItsReasonAndDoesNotFailTheRun() {
    RunResult r =
        run(List.of("sse.ttft.p95 < 2s", "error_rate < 1%"), pattern("sync", 600, false, BILL));

    AssertionOutcome skipped = r.assertions().getFirst();
    assertEquals("sse.ttft.p95 < 2s", skipped.assertion());
    assertEquals("sse", skipped.pattern());
    assertEquals("pattern sse was not run", skipped.skipped());
    assertTrue(r.assertionsHold(), r.assertions().toString());
    assertTrue(
        TableReport.render(r)
            .contains("SKIP  sse.ttft.p95 < 2s              sse        pattern sse was not run"),
        TableReport.render(r));
    String json = ResultJson.write(r);
    assertTrue(json.contains("\"skipped\" : \"pattern sse was not run\""), json);
    assertEquals(r.assertions(), ResultJson.read(json).assertions());
    assertTrue(HtmlReport.render(r).contains("class=\"skip\">skip"), HtmlReport.render(r));
  }

  /** {@code completed} of 40 requests served, the rest throttled, for {@code usd} in all. */
  private static PatternResult served(String name, long completed, double usd) {
    PatternResult p = pattern(name, 600, false, Map.of());
    return new PatternResult(
        name,
        40,
        completed,
        0,
        40 - completed,
        Map.of("throttled", 40 - completed),
        0,
        1,
        1,
        0,
        100,
        p.ttft(),
        p.interToken(),
        p.latency(),
        List.of(),
        List.of(),
        Map.of(name, completed),
        CostSummary.of(List.of(new MeterRow(name, "output", "llm", "", 1, usd, 40)), 40));
  }

  @Test
  void whenPatternsCompletedDifferentSharesTheCheapestIsPerCompletedRequest() {
    // per request sent sync is cheaper ($0.049 vs $0.053): its throttled requests were not billed
    RunResult r = run(List.of(), served("sync", 12, 0.00196), served("sse", 21, 0.0021));

    assertTrue(
        r.findings()
            .contains(
                "sse is the cheapest at $0.100 per 1,000 completed requests; sync costs $0.163"
                    + " (1.63x)."),
        r.findings().toString());
  }

  @Test
  void whenPatternsCompletedTheSameShareTheCheapestIsPerRequest() {
    RunResult r = run(List.of(), served("sync", 40, 0.002), served("sse", 40, 0.004));

    assertTrue(
        r.findings()
            .contains(
                "sync is the cheapest at $0.050 per 1,000 requests; sse costs $0.100 (2.00x)."),
        r.findings().toString());
  }
}
