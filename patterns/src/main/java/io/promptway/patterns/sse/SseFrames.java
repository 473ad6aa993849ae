package io.promptway.patterns.sse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The text/event-stream wire format. Written by hand rather than through Helidon's {@code SseSink}
 * because the sink has no way to send the {@code retry:} field, and the first bytes of a stream
 * (the retry advice) are what commit the status line and headers before the model's first token.
 */
public final class SseFrames {
  private SseFrames() {}

  public static byte[] event(StreamEvent e) {
    StringBuilder sb = new StringBuilder(e.data().length() + 32);
    sb.append("id: ").append(e.id()).append('\n');
    sb.append("event: ").append(e.type()).append('\n');
    appendData(sb, e.data());
    sb.append('\n');
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The byte length of {@link #event} for token event {@code id}, without building it. */
  public static long tokenEventLength(long id, String text, double atMs) {
    String data = EventLog.tokenData(id, text, atMs);
    long utf8 = 0;
    for (int i = 0; i < data.length(); i++) {
      char c = data.charAt(i);
      if (c < 0x80) utf8 += 1;
      else if (c < 0x800) utf8 += 2;
      else if (Character.isHighSurrogate(c)) {
        utf8 += 4;
        i++;
      } else utf8 += 3;
    }
    return "id: ".length()
        + Long.toString(id).length()
        + "\nevent: token\ndata: ".length()
        + utf8
        + "\n\n".length();
  }

  public static byte[] retry(Duration advice) {
    return ("retry: " + advice.toMillis() + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] comment(String text) {
    return (": " + text.replace('\n', ' ').replace('\r', ' ') + "\n\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static void appendData(StringBuilder sb, String data) {
    int start = 0;
    for (int i = 0; i <= data.length(); i++) {
      if (i == data.length() || data.charAt(i) == '\n') {
        int end = i > start && data.charAt(i - 1) == '\r' ? i - 1 : i;
        sb.append("data: ").append(data, start, end).append('\n');
        start = i + 1;
      }
    }
  }
}
