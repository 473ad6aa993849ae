package io.promptway.scenarios.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AssertionTest {
  @Test
  void parsesPatternMetricStatisticAndDuration() {
    Assertion a = Assertion.parse("sse.ttft.p95 < 1s");
    assertEquals("sse", a.pattern());
    assertEquals("ttft", a.metric());
    assertEquals("p95", a.stat());
    assertEquals(1000, a.value());
    assertTrue(a.holds(999));
    assertFalse(a.holds(1000));
  }

  @Test
  void parsesMoneyAndPercentagesForEveryPattern() {
    Assertion cost = Assertion.parse("cost_per_1k < $0.50");
    assertNull(cost.pattern());
    assertEquals(0.5, cost.value());
    assertEquals(0.01, Assertion.parse("error_rate < 1%").value(), 1e-12);
    assertEquals(250, Assertion.parse("websocket.latency.p99 <= 250ms").value());
  }

  @Test
  void rejectsUnknownMetricsWithTheKnownOnes() {
    var e = assertThrows(IllegalArgumentException.class, () -> Assertion.parse("sse.speed < 3"));
    assertTrue(e.getMessage().contains("unknown metric 'speed'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Assertion.parse("ttft.p95 < fast"));
    assertThrows(IllegalArgumentException.class, () -> Assertion.parse("error_rate"));
  }
}
