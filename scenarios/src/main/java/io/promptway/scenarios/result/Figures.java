package io.promptway.scenarios.result;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The precision a result's figures are kept at: 12 significant digits. Sums of metered dollars
 * carry binary noise (0.0442207499 99999955) that no bill has, and every rendering rounds from this
 * value, so a report re-rendered from the JSON shows what the run showed.
 */
public final class Figures {
  private static final MathContext FIGURE = new MathContext(12);

  private Figures() {}

  public static double significant(double value) {
    if (value == 0 || !Double.isFinite(value)) return value;
    return new BigDecimal(value).round(FIGURE).doubleValue();
  }
}
