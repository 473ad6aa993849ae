package io.promptway.patterns.common;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: "req_", 10 base-32 characters of the creation millisecond, then 10 random ones (50
 * bits). Ids sort by creation time, like ULIDs, so the store's indexes grow at their right edge: a
 * batch of new requests rewrites a few B-tree pages instead of one random page per request.
 */
public final class RequestIds {
  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

  private RequestIds() {}

  public static String next() {
    return next(System.currentTimeMillis(), ThreadLocalRandom.current().nextLong());
  }

  static String next(long epochMillis, long random) {
    char[] out = new char[24];
    out[0] = 'r';
    out[1] = 'e';
    out[2] = 'q';
    out[3] = '_';
    long time = epochMillis;
    for (int i = 13; i >= 4; i--) {
      out[i] = ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    for (int i = 14; i < 24; i++) {
      out[i] = ALPHABET[(int) (random & 31)];
      random >>>= 5;
    }
    return new String(out);
  }
}
