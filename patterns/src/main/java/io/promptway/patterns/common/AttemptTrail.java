package io.promptway.patterns.common;

/**
 * What a request's trail says of a failed attempt, in the words every retrying worker uses (the
 * async workers and the bus's processors).
 */
public final class AttemptTrail {
  private AttemptTrail() {}

  /** A failure no retry can mend. */
  public static String permanent(String message) {
    return "permanent failure: " + message;
  }

  /** The last attempt failed. */
  public static String exhausted(int attempts, String message) {
    return "max retries exceeded after " + attempts + " attempts; last error: " + message;
  }

  /** Attempt {@code attempt} of {@code maxAttempts} failed; {@code then} says what comes next. */
  public static String retrying(
      int attempt, int maxAttempts, String code, String message, String then) {
    return "attempt "
        + attempt
        + "/"
        + maxAttempts
        + " failed ("
        + code
        + "): "
        + message
        + "; "
        + then;
  }
}
