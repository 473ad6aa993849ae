package io.promptway.scenarios.client;

/**
 * What a client of any pattern hears about one generation, in order: maybe {@code onAccepted} (the
 * server assigned a request id), zero or more {@code onToken}, then exactly one of {@code
 * onComplete} or {@code onError}. Called on the client's threads; implementations must be quick and
 * thread-safe.
 */
public interface GenerationListener {
  /**
   * The request's body is being handed to its connection (its headers are already queued): the
   * closest the JDK client lets a caller see the request go on the wire. May be called more than
   * once (retries, reconnects); the first call counts.
   */
  default void onSending() {}

  default void onAccepted(String requestId) {}

  default void onToken(int seq, String text) {}

  void onComplete(Completion completion);

  void onError(ClientError error);
}
