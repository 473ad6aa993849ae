package io.promptway.scenarios.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.scenarios.FakeTargetAccess;
import io.promptway.scenarios.client.PatternClients;
import io.promptway.scenarios.model.Scenario;
import io.promptway.scenarios.model.ScenarioReader;
import io.promptway.scenarios.result.CostSummary;
import io.promptway.scenarios.result.PatternResult;
import io.promptway.scenarios.result.RunResult;
import io.promptway.scenarios.workload.PlannedRequest;
import io.promptway.scenarios.workload.WorkloadPlanner;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ReplayerTest {
  private static Scenario scenario(String load, String patterns, double timeScale) {
    return ScenarioReader.parse(
        "t.yaml",
        """
        name: t
        seed: 5
        time_scale: %s
        load: {stages: [%s]}
        mix:
          - {name: a, weight: 2, prompt_tokens: {median: 20, p95: 60}, output_tokens: {median: 30, p95: 90}, priority: 3}
          - {name: b, weight: 1, prompt_tokens: 200, output_tokens: 400, user_tier: premium, callback: poll, poll_interval: 20ms}
        patterns: [%s]
        client: {timeout: 20s}
        """
            .formatted(timeScale, load, patterns));
  }

  private static PatternResult pattern(RunResult r, String name) {
    return r.patterns().stream().filter(p -> p.pattern().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void everyPatternReceivesTheIdenticalSeededRequestSequence() throws Exception {
    Scenario s =
        scenario("{type: poisson, rate: 40, duration: 1s}", "sync, sse, async, events, hybrid", 1);
    List<PlannedRequest> plan = WorkloadPlanner.plan(s);
    try (var target = FakeTargetAccess.start(0, 1000)) {
      RunResult r = new Replayer(PatternClients.httpClient(), target.baseUri(), null).run(s);
      for (String p : s.patterns()) {
        var got = FakeTargetAccess.received(target, p);
        assertEquals(plan.size(), got.size(), p + " received every request");
        for (int i = 0; i < plan.size(); i++) {
          JsonNode body = got.get(i).body();
          assertEquals(i, got.get(i).seq());
          assertEquals(plan.get(i).prompt(), body.path("prompt").asText(), p + " #" + i);
          assertEquals(plan.get(i).maxTokens(), body.path("max_tokens").asInt(), p + " #" + i);
          assertEquals(plan.get(i).userTier(), body.path("user_tier").asText(), p + " #" + i);
          assertEquals(plan.get(i).priority(), body.path("priority").asInt(), p + " #" + i);
        }
        PatternResult pr = pattern(r, p);
        assertEquals(plan.size(), pr.completed(), p + " completed all: " + pr);
      }
      assertTrue(
          pattern(r, "sse").interToken().count() > 0, "streamed tokens give inter-token latency");
      assertEquals(plan.size(), pattern(r, "hybrid").servedBy().get("hybrid/sync"));
    }
  }

  @Test
  void latencyIsMeasuredFromTheScheduledTimeSoQueueingInAnOverloadedTargetCounts()
      throws Exception {
    // 50 requests 10 ms apart against a target serving one at a time in 20 ms: the last waits ~0.5
    // s.
    Scenario s = scenario("{type: constant, rate: 100, duration: 500ms}", "sync", 1);
    try (var target = FakeTargetAccess.start(20, 1)) {
      PatternResult sync =
          pattern(new Replayer(PatternClients.httpClient(), target.baseUri(), null).run(s), "sync");
      assertEquals(50, sync.completed());
      assertTrue(sync.latency().max() >= 400, "the queue shows in the latency: " + sync.latency());
      assertTrue(sync.latency().p50() >= 150, "half the requests queued: " + sync.latency());
      assertTrue(sync.peakInFlight() >= 10, "requests were sent without waiting for earlier ones");
    }
  }

  @Test
  void boundsRequestsInFlightPerPatternAndReportsTheWaitAsLateOnTheWire() throws Exception {
    // 20 requests 10 ms apart, 100 ms each, at most 2 in flight: the target never sees more than
    // 2 at once, every request still completes, and the last ones go on the wire ~0.8 s late.
    Scenario s = scenario("{type: constant, rate: 100, duration: 200ms}", "sync", 1);
    try (var target = FakeTargetAccess.start(100, 100)) {
      RunResult r = new Replayer(PatternClients.httpClient(), target.baseUri(), null, 2).run(s);
      PatternResult sync = pattern(r, "sync");
      assertEquals(20, sync.completed());
      assertTrue(FakeTargetAccess.peakConcurrent(target) <= 2, "at most 2 at the target");
      assertTrue(r.pacing().wireMaxMs() >= 500, "waiting for a slot is late: " + r.pacing());
      assertTrue(r.pacing().p50Ms() < r.pacing().wireMaxMs(), "released on time: " + r.pacing());
    }
  }

  @Test
  void measuresWhenRequestsGoOnTheWireAgainstAFastTarget() throws Exception {
    Scenario s = scenario("{type: constant, rate: 50, duration: 400ms}", "sync", 1);
    try (var target = FakeTargetAccess.start(0, 100)) {
      RunResult r = new Replayer(PatternClients.httpClient(), target.baseUri(), null).run(s);
      assertEquals(20, pattern(r, "sync").completed());
      assertEquals(20, r.pacing().sends());
      assertTrue(
          r.pacing().wireP50Ms() > 0 && r.pacing().wireP50Ms() >= r.pacing().p50Ms(),
          "the wire comes after the thread started: " + r.pacing());
    }
  }

  @Test
  void reportsSimulatedLatencyAtTheScenarioTimeScale() throws Exception {
    Scenario s = scenario("{type: constant, rate: 2, duration: 10s}", "sync", 10);
    try (var target = FakeTargetAccess.start(50, 100)) {
      RunResult r = new Replayer(PatternClients.httpClient(), target.baseUri(), null).run(s);
      PatternResult sync = pattern(r, "sync");
      assertEquals(20, sync.completed());
      assertTrue(
          sync.latency().p50() >= 500 && sync.latency().p50() < 1500,
          "50 ms real is 500 ms simulated: " + sync.latency());
      assertTrue(r.realSeconds() < 3, "10 s simulated ran in about 1 s: " + r.realSeconds());
    }
  }

  @Test
  void costIsTheMeterDifferenceAndEqualsTheSumOfTheMeteredRows() throws Exception {
    Scenario s = scenario("{type: constant, rate: 20, duration: 1s}", "sync, sse", 1);
    try (var target = FakeTargetAccess.start(0, 100)) {
      FakeTargetAccess.preBill(target, "sync", 5.0);
      RunResult r = new Replayer(PatternClients.httpClient(), target.baseUri(), null).run(s);
      assertTrue(r.costMetered());
      for (String p : List.of("sync", "sse")) {
        CostSummary cost = pattern(r, p).cost();
        double rows = cost.rows().stream().mapToDouble(MeterRow::usd).sum();
        assertEquals(rows, cost.totalUsd(), 1e-12);
        assertEquals(
            cost.totalUsd(),
            cost.byComponent().values().stream().mapToDouble(Double::doubleValue).sum(),
            1e-12);
        double expected =
            21
                * (FakeTargetAccess.REQUEST_USD
                    + 3 * FakeTargetAccess.TOKEN_USD); // 20 + warm-up excluded
        assertEquals(
            expected - (FakeTargetAccess.REQUEST_USD + 3 * FakeTargetAccess.TOKEN_USD),
            cost.totalUsd(),
            1e-9,
            p);
        assertEquals(cost.totalUsd() / 20 * 1000, cost.per1kUsd(), 1e-9);
      }
    }
  }
}
