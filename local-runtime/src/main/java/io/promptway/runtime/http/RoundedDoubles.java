package io.promptway.runtime.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * Doubles as the wire shows them: rounded to 12 significant digits. Prices times quantities, and
 * sums of them, carry binary noise that no bill has (211 output tokens at $0.00001 each are
 * 0.0021100000000000003 as a double); 12 digits still keep a thousandth of the smallest priced unit
 * of a request. A multiplication by a power of ten, so cheap enough for every response.
 */
public final class RoundedDoubles {
  private static final int DIGITS = 12;
  // Powers of ten a double holds exactly.
  private static final double[] POWERS = new double[23];

  static {
    POWERS[0] = 1;
    for (int i = 1; i < POWERS.length; i++) POWERS[i] = POWERS[i - 1] * 10;
  }

  private RoundedDoubles() {}

  /**
   * {@code value} rounded to 12 significant digits; values too small or too large to round this way
   * (below 1e-10 or from 1e12 on), zero and non-finite ones unchanged.
   */
  public static double round(double value) {
    if (value == 0 || !Double.isFinite(value)) return value;
    int shift = DIGITS - 1 - (int) Math.floor(Math.log10(Math.abs(value)));
    if (shift < 0 || shift >= POWERS.length) return value;
    double scale = POWERS[shift];
    return Math.round(value * scale) / scale;
  }

  /** Writes {@link Double}s and {@code double}s through {@link #round}. */
  static final class Serializer extends StdSerializer<Double> {
    Serializer() {
      super(Double.class);
    }

    @Override
    public void serialize(Double value, JsonGenerator g, SerializerProvider provider)
        throws IOException {
      g.writeNumber(round(value));
    }
  }
}
