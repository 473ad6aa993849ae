package io.promptway.scenarios.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerdictsTest {
  private static PatternResult nothingCompleted(String name) {
    PatternResult p = FindingsTest.pattern(name, 600, false, FindingsTest.BILL);
    return new PatternResult(
        name,
        10,
        0,
        0,
        0,
        Map.of("failed", 10L),
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
  }

  private static AssertionOutcome outcome(RunResult r, String pattern) {
    return r.assertions().stream().filter(a -> a.pattern().equals(pattern)).findFirst().get();
  }

  @Test
  void anInterTokenObjectiveIsSkippedForPatternsThatDoNotStreamTokens() {
    RunResult r =
        FindingsTest.run(
            List.of("itl.p50 < 20ms"),
            FindingsTest.pattern("sync", 600, false, FindingsTest.BILL),
            FindingsTest.pattern("async", 900, false, FindingsTest.BILL),
            FindingsTest.pattern("sse", 300, true, FindingsTest.BILL));

    assertEquals("sync does not stream tokens", outcome(r, "sync").skipped());
    assertEquals("async does not stream tokens", outcome(r, "async").skipped());
    assertEquals("PASS", outcome(r, "sse").verdict());
    assertTrue(r.assertionsHold(), r.assertions().toString());
  }

  @Test
  void anInterTokenObjectiveIsSkippedForAHybridThatRoutedNothingToAStream() {
    PatternResult hybrid = FindingsTest.pattern("hybrid", 600, false, FindingsTest.BILL);
    hybrid =
        new PatternResult(
            "hybrid",
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
            hybrid.ttft(),
            LatencyStats.EMPTY,
            hybrid.latency(),
            List.of(),
            List.of(),
            Map.of("hybrid/sync", 6L, "hybrid/async", 4L),
            hybrid.cost());

    RunResult r = FindingsTest.run(List.of("itl.p50 < 20ms"), hybrid);

    assertEquals("hybrid routed no completed request to a stream", outcome(r, "hybrid").skipped());
    assertTrue(r.assertionsHold(), r.assertions().toString());
  }

  @Test
  void aStreamingPatternThatCompletedNothingStillFailsAnInterTokenObjective() {
    RunResult r =
        FindingsTest.run(
            List.of("itl.p50 < 20ms"),
            nothingCompleted("sse"),
            nothingCompleted("hybrid"),
            FindingsTest.pattern("websocket", 300, true, FindingsTest.BILL));

    assertEquals("FAIL", outcome(r, "sse").verdict());
    assertEquals("FAIL", outcome(r, "hybrid").verdict());
    assertTrue(Double.isNaN(outcome(r, "sse").actual()));
    assertFalse(r.assertionsHold());
  }
}
