package io.promptway.scenarios.model;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in scenario files (400ms, 7.6ms, 29s, 10m, 2h), in ms. */
public final class Durations {
  private static final Pattern SHORT =
      Pattern.compile("^\\s*(-?\\d+(?:\\.\\d+)?)\\s*(us|ms|s|m|min|h)\\s*$");

  private Durations() {}

  public static double parseMs(String text) {
    Matcher m = SHORT.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration; write e.g. 400ms, 29s, 10m");
    }
    double amount = Double.parseDouble(m.group(1));
    return amount
        * switch (m.group(2)) {
          case "us" -> 0.001;
          case "ms" -> 1;
          case "s" -> 1000;
          case "m", "min" -> 60_000;
          case "h" -> 3_600_000;
          default -> throw new IllegalStateException(m.group(2));
        };
  }

  /** A short human form: 850ms, 1.2s, 4m 10s. */
  public static String format(double ms) {
    if (ms < 1000) return Math.round(ms) + "ms";
    if (ms < 60_000) return String.format(Locale.ROOT, "%.1fs", ms / 1000);
    long s = Math.round(ms / 1000);
    return s / 60 + "m " + s % 60 + "s";
  }
}
