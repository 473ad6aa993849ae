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

  @Test
  void rejectsThresholdsNoRunCanMeetOrMiss() {
    for (String[] bad :
        new String[][] {
          {"cost_per_1k < $-1", "a cost cannot be negative"},
          {"cost_total < $NaN", "not a finite number"},
          {"error_rate < 150%", "a rate is from 0% to 100%"},
          {"completion_rate >= -0.5%", "a rate is from 0% to 100%"},
          {"throttle_rate < Infinity%", "not a finite number"},
          {"ttft.p95 < -1s", "a latency cannot be negative"}
        }) {
      var e = assertThrows(IllegalArgumentException.class, () -> Assertion.parse(bad[0]), bad[0]);
      assertTrue(e.getMessage().contains(bad[1]), bad[0] + ": " + e.getMessage());
      assertTrue(e.getMessage().contains(bad[0]), bad[0] + ": " + e.getMessage());
    }
    assertEquals(1.0, Assertion.parse("completion_rate >= 100%").value());
    assertEquals(0.0, Assertion.parse("cost_total <= $0").value());
  }

  @Test
  void aRateWithoutAPercentSignIsRefusedRatherThanReadAsAFraction() {
    for (String bare : new String[] {"error_rate < 1", "sse.timeout_rate <= 0.5"}) {
      var e = assertThrows(IllegalArgumentException.class, () -> Assertion.parse(bare), bare);
      assertTrue(e.getMessage().contains("write rates as percentages, e.g. "), e.getMessage());
    }
  }
}
