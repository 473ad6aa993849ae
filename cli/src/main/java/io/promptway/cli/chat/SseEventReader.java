package io.promptway.cli.chat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads {@code text/event-stream} events (the {@code event}, {@code id} and {@code data} fields; a
 * blank line dispatches, comments are skipped) from a stream, one at a time.
 */
final class SseEventReader implements AutoCloseable {
  /** One dispatched event; {@code event} is "message" when the stream named none. */
  record SseEvent(String id, String event, String data) {}

  private final BufferedReader lines;

  SseEventReader(InputStream in) {
    this.lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  /** The next event, or null at the end of the stream. */
  SseEvent next() throws IOException {
    String id = null;
    String event = null;
    StringBuilder data = null;
    String line;
    while ((line = lines.readLine()) != null) {
      if (line.isEmpty()) {
        if (data != null || event != null) {
          return new SseEvent(
              id, event == null ? "message" : event, data == null ? "" : data.toString());
        }
        continue;
      }
      if (line.startsWith(":")) continue;
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) value = value.substring(1);
      switch (field) {
        case "event" -> event = value;
        case "id" -> id = value;
        case "data" ->
            data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        default -> {}
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    lines.close();
  }
}
