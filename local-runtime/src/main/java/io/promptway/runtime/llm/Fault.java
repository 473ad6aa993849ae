package io.promptway.runtime.llm;

import java.util.Locale;

/** A misbehaviour of the emulated provider, chosen per request by rate or forced by a header. */
public enum Fault {
  NONE,
  RATE_LIMIT,
  SERVER_ERROR,
  UNAVAILABLE,
  STALL,
  DROP;

  /** Header that forces a fault for tests: {@code X-Promptway-Fault: rate_limit}. */
  public static final String HEADER = "X-Promptway-Fault";

  public static Fault parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown fault '" + text + "'; use rate_limit, server_error, unavailable, stall or drop");
    }
  }
}
