package io.promptway.cli.chat;

import io.promptway.scenarios.client.SseEvent;
import io.promptway.scenarios.client.SseEventParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * Reads {@code text/event-stream} events from a stream one at a time, for a caller that stops at an
 * event of its choosing; the parsing is the replayer's {@link SseEventParser}.
 */
final class SseEventReader implements AutoCloseable {
  private final BufferedReader lines;
  private final ArrayDeque<SseEvent> dispatched = new ArrayDeque<>();
  private final SseEventParser parser = new SseEventParser(dispatched::add);

  SseEventReader(InputStream in) {
    this.lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  /** The next event, or null at the end of the stream. */
  SseEvent next() throws IOException {
    while (dispatched.isEmpty()) {
      String line = lines.readLine();
      if (line == null) return null;
      parser.line(line);
    }
    return dispatched.poll();
  }

  @Override
  public void close() throws IOException {
    lines.close();
  }
}
