package io.promptway.patterns.sse;

/**
 * One event of a stream's log: its id (1, 2, 3... in the order the generator produced it; the SSE
 * {@code id:} field), its type ({@code token}, {@code complete} or {@code error}) and its JSON
 * data. A terminal event ends the stream.
 */
public record StreamEvent(long id, String type, String data, boolean terminal) {
  public static final String TOKEN = "token";
  public static final String COMPLETE = "complete";
  public static final String ERROR = "error";
}
