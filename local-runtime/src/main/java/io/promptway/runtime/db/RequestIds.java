package io.promptway.runtime.db;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: "req_", 10 base-32 characters of the creation millisecond, then 10 random ones (50
 * bits). Ids sort by creation time, like ULIDs, so the store's indexes grow at their right edge: a
 * batch of new requests rewrites a few B-tree pages instead of one random page per request.
 */
public final class RequestIds {
  public static final String PREFIX = "req_";

  /** The digits after the prefix: time digits from index 4 to 13, random ones from 14 to 23. */
  public static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

  public static final int LENGTH = 24;

  private RequestIds() {}

  public static String next() {
    return next(System.currentTimeMillis(), ThreadLocalRandom.current().nextLong());
  }

  static String next(long epochMillis, long random) {
    char[] out = new char[LENGTH];
    PREFIX.getChars(0, PREFIX.length(), out, 0);
    long time = epochMillis;
    for (int i = 13; i >= 4; i--) {
      out[i] = ALPHABET.charAt((int) (time & 31));
      time >>>= 5;
    }
    for (int i = 14; i < LENGTH; i++) {
      out[i] = ALPHABET.charAt((int) (random & 31));
      random >>>= 5;
    }
    return new String(out);
  }
}
