package io.promptway.scenarios.client;

import java.util.function.Consumer;

/**
 * Parses a {@code text/event-stream} line by line, as the WHATWG specification says: fields {@code
 * id}, {@code event} and {@code data} (several data lines join with a newline), comments start with
 * a colon, a blank line dispatches the event.
 */
public final class SseEventParser {
  private final Consumer<SseEvent> sink;
  private String id;
  private String event;
  private StringBuilder data;

  public SseEventParser(Consumer<SseEvent> sink) {
    this.sink = sink;
  }

  public void line(String line) {
    if (line.isEmpty()) {
      if (data != null)
        sink.accept(new SseEvent(id, event == null ? "message" : event, data.toString()));
      id = null;
      event = null;
      data = null;
      return;
    }
    if (line.startsWith(":")) return;
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
      default -> {}
    }
  }
}
