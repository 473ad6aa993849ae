package io.promptway.patterns.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PatternResponsesTest {

  @Test
  void fixedDecimalsReadAsStringFormatWouldWriteThem() {
    double[] values = {
      0,
      0.05,
      0.15,
      0.25,
      1.45,
      2.5,
      1e-9,
      0.000000005,
      0.000000015,
      1234.56789,
      12.349999,
      0.00002138,
      3.000000005,
      1e12,
      Double.NaN,
      Double.POSITIVE_INFINITY
    };
    for (double v : values) {
      for (int places : new int[] {1, 8}) {
        assertEquals(
            String.format(Locale.ROOT, "%." + places + "f", v),
            PatternResponses.fixed(v, places),
            v + " with " + places + " places");
      }
    }
  }

  @Test
  void fixedDecimalsAgreeWithStringFormatOnRandomCostsAndLatencies() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 20_000; i++) {
      double cost = random.nextDouble() * Math.pow(10, -random.nextInt(1, 9));
      double latency = random.nextDouble() * Math.pow(10, random.nextInt(0, 6));
      assertEquals(String.format(Locale.ROOT, "%.8f", cost), PatternResponses.fixed(cost, 8));
      assertEquals(String.format(Locale.ROOT, "%.1f", latency), PatternResponses.fixed(latency, 1));
    }
  }
}
