package io.promptway.scenarios.model;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in scenario files (400ms, 7.6ms, 29s, 10m, 2h, and compounds like
 * 1h30m or 2m 30s), in ms.
 */
public final class Durations {
  private static final String PART = "(\\d+(?:\\.\\d+)?)\\s*(us|ms|min|s|m|h)";
  private static final Pattern WHOLE = Pattern.compile("^\\s*(-?)\\s*((?:" + PART + "\\s*)+)$");
  private static final Pattern ONE = Pattern.compile(PART);

  private Durations() {}

  public static double parseMs(String text) {
    Matcher m = WHOLE.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration; write e.g. 400ms, 29s, 10m, 1h30m");
    }
    double ms = 0;
    double previousUnit = Double.MAX_VALUE;
    Matcher part = ONE.matcher(m.group(2));
    while (part.find()) {
      double unit = unitMs(part.group(2));
      if (unit >= previousUnit) {
        throw new IllegalArgumentException(
            "'"
                + text.strip()
                + "' is not a duration: write its parts from the largest unit down, each once,"
                + " e.g. 1h30m");
      }
      previousUnit = unit;
      ms += Double.parseDouble(part.group(1)) * unit;
    }
    return m.group(1).isEmpty() ? ms : -ms;
  }

  private static double unitMs(String unit) {
    return switch (unit) {
      case "us" -> 0.001;
      case "ms" -> 1;
      case "s" -> 1000;
      case "m", "min" -> 60_000;
      case "h" -> 3_600_000;
      default -> throw new IllegalStateException(unit);
    };
  }

  /** A short human form: 850ms, 1.2s, 4m 10s. */
  public static String format(double ms) {
    if (ms < 1000) return Math.round(ms) + "ms";
    if (ms < 60_000) return String.format(Locale.ROOT, "%.1fs", ms / 1000);
    long s = Math.round(ms / 1000);
    if (s < 3600) return s / 60 + "m " + s % 60 + "s";
    return s / 3600 + "h " + s % 3600 / 60 + "m " + s % 60 + "s";
  }
}
