package io.promptway.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logging for the command line: one line per record, and an embedded runtime that stays quiet (no
 * access log, no server chatter) so a scenario table or a chat reply is not buried.
 */
public final class LogSetup {
  private static final String ACCESS_LOGGER = "io.promptway.gateway.access";
  // Kept strongly reachable: java.util.logging holds loggers weakly and would forget the level.
  private static final Logger ROOT = Logger.getLogger("");
  private static final Logger ACCESS = Logger.getLogger(ACCESS_LOGGER);
  private static final Logger HELIDON = Logger.getLogger("io.helidon");

  private LogSetup() {}

  /**
   * One line per record, and the HTTP server's own start-up lines (its feature list, the bound
   * socket) left out: Promptway prints its URL and start time itself, and before a failed start
   * they only stood in front of the one line that says why.
   */
  public static void forCommandLine() {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %3$s: %5$s%6$s%n");
    }
    HELIDON.setLevel(Level.WARNING);
  }

  /** For commands that run the runtime inside themselves (run, chat): warnings only. */
  public static void quietEmbeddedRuntime() {
    ROOT.setLevel(Level.WARNING);
    ACCESS.setLevel(Level.OFF);
  }
}
