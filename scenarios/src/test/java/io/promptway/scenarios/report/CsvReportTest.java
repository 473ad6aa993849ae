package io.promptway.scenarios.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.scenarios.replay.MeterRow;
import io.promptway.scenarios.result.CostSummary;
import io.promptway.scenarios.result.PatternResult;
import io.promptway.scenarios.result.ResultJson;
import io.promptway.scenarios.result.RunResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReportTest {
  @Test
  void aResultReRenderedFromItsJsonGivesTheSameCsvAsTheRunWrote() {
    // a metered sum just below 0.0001365, which the JSON keeps as 0.0001365
    double gateway = Math.nextDown(0.0001365);
    RunResult run = withAsyncCost(ReportsTest.sample(), gateway);
    String written = CsvReport.render(run);
    String reRendered = CsvReport.render(ResultJson.read(ResultJson.write(run)));
    assertEquals(written, reRendered);
    assertTrue(written.contains(",0.000137"), written);
  }

  private static RunResult withAsyncCost(RunResult r, double usd) {
    PatternResult a = r.patterns().getLast();
    var cost =
        CostSummary.of(
            List.of(new MeterRow("async", "gateway.rest.request", "gateway", "", 39, usd, 39)),
            a.sent());
    var async =
        new PatternResult(
            a.pattern(),
            a.sent(),
            a.completed(),
            a.timeouts(),
            a.throttled(),
            a.errors(),
            a.unfinished(),
            a.peakConnections(),
            a.peakInFlight(),
            a.reconnects(),
            a.outputTokens(),
            a.ttft(),
            a.interToken(),
            a.latency(),
            a.latencyCurve(),
            a.ttftOverTime(),
            a.servedBy(),
            cost);
    return new RunResult(
        r.scenario(),
        r.target(),
        r.startedAt(),
        r.timeScale(),
        r.seed(),
        r.requestsPerPattern(),
        r.realSeconds(),
        r.simulatedSeconds(),
        r.costMetered(),
        r.pacing(),
        List.of(r.patterns().getFirst(), async),
        r.unattributedCost(),
        r.assertions(),
        r.findings());
  }
}
