package io.promptway.scenarios.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promptway.scenarios.result.CostSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedirectedCostTest {
  @Test
  void costOfRequestsTheHybridRouterSentToSseMovesBackToHybridAndTotalsStillAddUp() {
    Map<String, List<MeterRow>> byPattern = new HashMap<>();
    byPattern.put(
        "hybrid",
        new ArrayList<>(
            List.of(new MeterRow("hybrid", "gateway.rest.request", "gateway", "", 10, 0.01, 10))));
    byPattern.put(
        "sse",
        new ArrayList<>(
            List.of(
                new MeterRow("sse", "function.gb_second", "function", "", 1, 0.50, 20),
                new MeterRow("sse", "output", "llm", "m", 1, 1.00, 20))));
    Replayer.moveRedirected(
        byPattern,
        "hybrid",
        Map.of("sse", Map.of("function", 0.25, "llm", 0.5)),
        List.of("hybrid", "sse"));
    CostSummary hybrid = CostSummary.of(byPattern.get("hybrid"), 10);
    CostSummary sse = CostSummary.of(byPattern.get("sse"), 10);
    assertEquals(0.76, hybrid.totalUsd(), 1e-12);
    assertEquals(0.75, sse.totalUsd(), 1e-12);
    assertEquals(0.5, hybrid.byComponent().get("llm"), 1e-12);
    assertEquals(hybrid.rows().stream().mapToDouble(MeterRow::usd).sum(), hybrid.totalUsd(), 1e-12);
    assertEquals(1.51, hybrid.totalUsd() + sse.totalUsd(), 1e-12, "nothing is lost or made up");
  }

  @Test
  void aTargetThatWasNotComparedGivesUpItsShareOfTheUnattributedCost() {
    Map<String, List<MeterRow>> byPattern = new HashMap<>();
    byPattern.put(
        "", new ArrayList<>(List.of(new MeterRow("events", "bus.event", "bus", "", 5, 0.2, 5))));
    Replayer.moveRedirected(
        byPattern, "hybrid", Map.of("events", Map.of("bus", 0.2)), List.of("hybrid"));
    assertEquals(0, CostSummary.of(byPattern.get(""), 0).totalUsd(), 1e-12);
    assertEquals(0.2, CostSummary.of(byPattern.get("hybrid"), 5).totalUsd(), 1e-12);
  }
}
