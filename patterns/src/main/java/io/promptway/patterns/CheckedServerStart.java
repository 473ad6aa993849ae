package io.promptway.patterns;

import io.helidon.webserver.WebServer;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Starts a Helidon server and fails when it does not listen. Helidon 4 does not throw when a
 * listener cannot bind: it logs the cause with a stack trace, stops, and reports port -1. The cause
 * is taken from that log record instead (on the starting thread, where Helidon logs it) and the
 * record is kept out of the output, so a busy port is one line naming the address.
 */
final class CheckedServerStart {
  // Kept strongly reachable: java.util.logging holds loggers weakly and would forget the filter.
  private static final Logger HELIDON_SERVER = Logger.getLogger("io.helidon.webserver.LoomServer");
  private static final ThreadLocal<Failures> STARTING = new ThreadLocal<>();

  static {
    Filter previous = HELIDON_SERVER.getFilter();
    HELIDON_SERVER.setFilter(
        record -> {
          Failures failures = STARTING.get();
          if (failures != null && record.getLevel().intValue() >= Level.SEVERE.intValue()) {
            failures.add(record);
            return false;
          }
          return previous == null || previous.isLoggable(record);
        });
  }

  private CheckedServerStart() {}

  /**
   * Starts {@code server}, which was built to listen on {@code address}, or throws a {@link
   * ListenFailure} once Helidon has stopped it again.
   */
  static WebServer start(WebServer server, String address) {
    Failures failures = new Failures();
    STARTING.set(failures);
    try {
      server.start();
    } finally {
      STARTING.remove();
    }
    if (server.isRunning()) return server;
    server.stop();
    throw new ListenFailure(address, failures.cause);
  }

  /** The root cause of the first failure Helidon logged, e.g. a {@code BindException}. */
  private static final class Failures {
    Throwable cause;

    void add(LogRecord record) {
      if (cause != null || record.getThrown() == null) return;
      Throwable t = record.getThrown();
      while (t.getCause() != null) t = t.getCause();
      cause = t;
    }
  }
}
