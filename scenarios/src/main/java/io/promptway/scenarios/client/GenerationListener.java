package io.promptway.scenarios.client;

/**
 * What a client of any pattern hears about one generation, in order: maybe {@code onAccepted} (the
 * server assigned a request id), zero or more {@code onToken}, then exactly one of {@code
 * onComplete} or {@code onError}. Called on the client's threads; implementations must be quick and
 * thread-safe.
 */
public interface GenerationListener {
  default void onAccepted(String requestId) {}

  default void onToken(int seq, String text) {}

  void onComplete(Completion completion);

  void onError(ClientError error);
}
