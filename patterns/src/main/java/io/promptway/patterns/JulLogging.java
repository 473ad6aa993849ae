package io.promptway.patterns;

import io.helidon.logging.common.spi.LoggingProvider;

/**
 * Tells Helidon that logging is set up already: Promptway logs through java.util.logging, which its
 * entry points configure. Without a provider on the class path, Helidon prints "There is no Helidon
 * logging implementation on classpath" to standard error at every server start, into the output of
 * {@code serve}, {@code run} and the chat REPL.
 */
public final class JulLogging implements LoggingProvider {
  @Override
  public void initialization() {}

  @Override
  public void runTime() {}
}
