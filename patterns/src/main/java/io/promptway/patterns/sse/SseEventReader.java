package io.promptway.patterns.sse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A client-side reader of a text/event-stream, as an EventSource parses it: fields {@code id},
 * {@code event}, {@code data} (joined with newlines) and {@code retry}; comments are reported
 * separately so heartbeats can be observed. Used by tests, benchmarks and clients of the runtime.
 */
public final class SseEventReader implements AutoCloseable {
  private final BufferedReader in;

  /** One dispatched event or comment; {@code id} is null when the event had no id field. */
  public record Received(String id, String event, String data, Long retryMillis, String comment) {
    public boolean isComment() {
      return comment != null;
    }

    public boolean isRetry() {
      return retryMillis != null && event == null && data == null;
    }
  }

  public SseEventReader(InputStream stream) {
    this.in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8), 8192);
  }

  /** The next event, comment or retry advice; null at the end of the stream. */
  public Received next() throws IOException {
    String id = null;
    String event = null;
    StringBuilder data = null;
    Long retry = null;
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isEmpty()) {
        if (id != null || event != null || data != null || retry != null) {
          return new Received(id, event, data == null ? null : data.toString(), retry, null);
        }
        continue;
      }
      if (line.startsWith(":")) {
        if (id == null && event == null && data == null && retry == null) {
          return new Received(null, null, null, null, line.substring(1).strip());
        }
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) value = value.substring(1);
      switch (field) {
        case "id" -> id = value;
        case "event" -> event = value;
        case "data" -> {
          if (data == null) data = new StringBuilder(value);
          else data.append('\n').append(value);
        }
        case "retry" -> {
          try {
            retry = Long.parseLong(value);
          } catch (NumberFormatException ignored) {
            // the spec says to ignore a retry field that is not all digits
          }
        }
        default -> {}
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
