package io.promptway.patterns.websocket;

import java.time.Duration;

/**
 * How the WebSocket API bills: messages in both directions in 32 KB units (a 33 KB message is two
 * messages) and connection time in whole minutes, rounded up.
 */
public final class MessageUnits {
  public static final int UNIT_BYTES = 32 * 1024;

  private MessageUnits() {}

  public static long messages(long bytes) {
    if (bytes < 0) throw new IllegalArgumentException("negative size " + bytes);
    return Math.max(1, (bytes + UNIT_BYTES - 1) / UNIT_BYTES);
  }

  public static long connectionMinutes(Duration simulated) {
    long nanos = Math.max(0, simulated.toNanos());
    long minute = Duration.ofMinutes(1).toNanos();
    return Math.max(1, (nanos + minute - 1) / minute);
  }
}
