package io.promptway.patterns.common;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids: "req_" and 20 random base-32 characters (100 bits), sortable enough to read. */
public final class RequestIds {
  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

  private RequestIds() {}

  public static String next() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    char[] out = new char[24];
    out[0] = 'r';
    out[1] = 'e';
    out[2] = 'q';
    out[3] = '_';
    long a = r.nextLong();
    long b = r.nextLong();
    for (int i = 0; i < 10; i++) {
      out[4 + i] = ALPHABET[(int) (a & 31)];
      a >>>= 5;
      out[14 + i] = ALPHABET[(int) (b & 31)];
      b >>>= 5;
    }
    return new String(out);
  }
}
