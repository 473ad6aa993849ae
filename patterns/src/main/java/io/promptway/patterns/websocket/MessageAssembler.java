package io.promptway.patterns.websocket;

/**
 * Joins the fragments of one client text message and enforces the message size limit. A message
 * over the limit is not kept: its remaining fragments are skipped and it is reported as too large
 * once, when its last fragment arrives, so the connection stays usable.
 */
final class MessageAssembler {
  private final int maxBytes;
  private final StringBuilder text = new StringBuilder();
  private long bytes;
  private boolean tooLarge;

  MessageAssembler(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** A complete message, or an oversized one, with its size in bytes. */
  record Message(String text, long bytes, boolean tooLarge) {}

  /** Adds a fragment; returns the message when {@code last}, otherwise null. */
  Message add(String fragment, boolean last) {
    bytes += utf8Length(fragment);
    if (!tooLarge) {
      if (bytes > maxBytes) {
        tooLarge = true;
        text.setLength(0);
        text.trimToSize();
      } else {
        text.append(fragment);
      }
    }
    if (!last) return null;
    Message m = new Message(tooLarge ? null : text.toString(), bytes, tooLarge);
    text.setLength(0);
    bytes = 0;
    tooLarge = false;
    return m;
  }

  static long utf8Length(CharSequence s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) n++;
      else if (c < 0x800) n += 2;
      else if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
        n += 4;
        i++;
      } else n += 3;
    }
    return n;
  }
}
