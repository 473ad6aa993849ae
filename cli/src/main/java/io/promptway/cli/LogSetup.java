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

  private LogSetup() {}

  public static void oneLineFormat() {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %3$s: %5$s%6$s%n");
    }
  }

  /** For commands that run the runtime inside themselves (run, chat): warnings only. */
  public static void quietEmbeddedRuntime() {
    ROOT.setLevel(Level.WARNING);
    ACCESS.setLevel(Level.OFF);
  }
}
