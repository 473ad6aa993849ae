package io.promptway.runtime.db;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Version 7 UUIDs (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. They sort by
 * creation time, so a table indexed on them grows at the right edge of its B-tree instead of
 * rewriting a random page per insert. Not secret: the random bits come from {@link
 * ThreadLocalRandom}, which does not serialise callers as {@code SecureRandom} does.
 */
public final class SortableIds {
  private SortableIds() {}

  public static String uuid() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return uuid(System.currentTimeMillis(), r.nextLong(), r.nextLong()).toString();
  }

  static UUID uuid(long epochMillis, long randomA, long randomB) {
    long high = (epochMillis << 16) | 0x7000L | (randomA & 0x0FFFL);
    long low = (randomB & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(high, low);
  }
}
