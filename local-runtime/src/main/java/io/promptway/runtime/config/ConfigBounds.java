package io.promptway.runtime.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * Range checks for configuration values, run as each part of {@link RuntimeConfig} is built. A
 * failure begins with the key (as written in the config file), then the rule; {@link ConfigLoader}
 * puts the file, the line of that key and the path of the enclosing section in front.
 */
final class ConfigBounds {
  private ConfigBounds() {}

  static void within(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          key + " must be within " + min + ".." + max + ", got " + value);
    }
  }

  static void atLeast(String key, long value, long min) {
    if (value < min)
      throw new IllegalArgumentException(key + " must be at least " + min + ", got " + value);
  }

  static void within(String key, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException(
          key + " must be within " + number(min) + ".." + number(max) + ", got " + number(value));
    }
  }

  static void notNegative(String key, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(key + " must be 0 or more, got " + number(value));
    }
  }

  static void positive(String key, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(key + " must be more than 0, got " + number(value));
    }
  }

  /** More than zero. */
  static void positive(String key, Duration value) {
    required(key, value);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(key + " must be more than 0s, got " + text(value));
    }
  }

  static void notNegative(String key, Duration value) {
    required(key, value);
    if (value.isNegative()) {
      throw new IllegalArgumentException(key + " must be 0s or more, got " + text(value));
    }
  }

  static void within(String key, Duration value, Duration min, Duration max) {
    required(key, value);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          key
              + " must be within "
              + DurationText.format(min)
              + ".."
              + DurationText.format(max)
              + ", got "
              + text(value));
    }
  }

  /** Not below another setting's value ({@code min}, the value of {@code minKey}). */
  static void notBelow(String key, Duration value, String minKey, Duration min) {
    required(key, value);
    if (value.compareTo(min) < 0) {
      throw new IllegalArgumentException(
          key + " must be at least " + minKey + " (" + text(min) + "), got " + text(value));
    }
  }

  /** An absolute http:// or https:// URL with a host. */
  static void httpUrl(String key, String value) {
    URI uri;
    try {
      uri = new URI(value.strip());
    } catch (URISyntaxException e) {
      uri = null;
    }
    if (uri == null
        || uri.getHost() == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new IllegalArgumentException(
          key + " must be an http:// or https:// URL with a host, got '" + value + "'");
    }
  }

  static void required(String key, Object value) {
    if (value == null) throw new IllegalArgumentException(key + " is required");
  }

  private static String text(Duration d) {
    return d.isNegative() ? "-" + DurationText.format(d.negated()) : DurationText.format(d);
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
