package io.promptway.scenarios.client;

/**
 * What a client of any pattern hears about one generation, in order: maybe {@code onAccepted} (the
 * server assigned a request id), zero or more {@code onToken}, then exactly one of {@code
 * onComplete} or {@code onError}. Called on the client's threads; implementations must be quick and
 * thread-safe.
 */
public interface GenerationListener {
  /**
   * The request is about to go on the wire: for the request/response patterns ({@link
   * BlockingHttp}) just before the client takes a pooled connection and writes it; for SSE (JDK
   * client) when the body is handed to its connection; for WebSocket before the generate message is
   * sent. May be called more than once (retries, reconnects); the first call counts.
   */
  default void onSending() {}

  default void onAccepted(String requestId) {}

  /**
   * The hybrid router sent the request on to {@code pattern}'s endpoint, where it has {@code
   * requestId}: said as soon as that id is known, whether the request then completes or not.
   */
  default void onRedirected(String pattern, String requestId) {}

  /**
   * Token {@code seq} arrived. {@code emittedAtMs} is when the model emitted it, as the server
   * stamped it ({@code at_ms}: simulated ms from the request's start); NaN when the server did not.
   */
  default void onToken(int seq, String text, double emittedAtMs) {}

  void onComplete(Completion completion);

  void onError(ClientError error);
}
