package io.promptway.scenarios.client;

/**
 * Asks one pattern for one generation over its real protocol and reports progress to a listener.
 * {@link #generate} blocks until the listener has had its terminal call (run it on a virtual thread
 * to overlap many); it never throws for server or network failures, which go to {@code onError}.
 */
public interface PatternClient {
  String pattern();

  void generate(GenerationCall call, GenerationListener listener);
}
