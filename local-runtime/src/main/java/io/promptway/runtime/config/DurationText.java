package io.promptway.runtime.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints durations the way people write them in config files: 400ms, 29s, 10m, 2h, and
 * compounds from the largest unit down (1h30m, 2m 30s). A negative one ({@code -1s}) parses, so the
 * setting's own bound can say what it allows.
 */
public final class DurationText {
  private static final String PART = "(\\d+(?:\\.\\d+)?)\\s*(us|ms|min|s|m|h|d)";
  private static final Pattern WHOLE = Pattern.compile("^\\s*(-?)\\s*((?:" + PART + "\\s*)+)$");
  private static final Pattern ONE = Pattern.compile(PART);

  private DurationText() {}

  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a duration is required, e.g. 400ms, 29s, 10m, 2h");
    }
    Matcher m = WHOLE.matcher(text);
    if (m.matches()) {
      double nanos = 0;
      double previousUnit = Double.MAX_VALUE;
      Matcher part = ONE.matcher(m.group(2));
      while (part.find()) {
        double unit = nanosPer(part.group(2));
        if (unit >= previousUnit) {
          throw new IllegalArgumentException(
              "'"
                  + text.strip()
                  + "' is not a duration: write its parts from the largest unit down, each once, e.g. 1h30m");
        }
        previousUnit = unit;
        nanos += Double.parseDouble(part.group(1)) * unit;
      }
      return Duration.ofNanos(Math.round(m.group(1).isEmpty() ? nanos : -nanos));
    }
    try {
      return Duration.parse(text.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration; write e.g. 400ms, 29s, 10m, 2h");
    }
  }

  private static double nanosPer(String unit) {
    return switch (unit) {
      case "us" -> 1e3;
      case "ms" -> 1e6;
      case "s" -> 1e9;
      case "m", "min" -> 60e9;
      case "h" -> 3600e9;
      case "d" -> 86400e9;
      default -> throw new IllegalStateException(unit);
    };
  }

  public static String format(Duration d) {
    long ms = d.toMillis();
    if (d.isZero()) return "0s";
    if (ms % 86_400_000 == 0 && ms > 0) return ms / 86_400_000 + "d";
    if (ms % 3_600_000 == 0 && ms > 0) return ms / 3_600_000 + "h";
    if (ms % 60_000 == 0 && ms > 0) return ms / 60_000 + "m";
    if (ms % 1000 == 0 && ms > 0) return ms / 1000 + "s";
    return ms + "ms";
  }
}
