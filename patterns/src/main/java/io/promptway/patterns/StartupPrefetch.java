package io.promptway.patterns;

import io.helidon.webserver.http.HttpRouting;
import io.promptway.runtime.config.ConfigLoader;
import io.promptway.runtime.db.Database;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import javax.crypto.Mac;

/**
 * A head start for {@link PromptwayServer#start}: on other threads, the one-time initialisation
 * that does not depend on the configuration (Helidon's service registry, reached through {@link
 * HttpRouting#builder()}'s static initialisers; the JCE provider behind the webhook signer's HMAC;
 * H2's engine and SQL parser; Jackson's YAML reader and the reflection over the configuration's
 * records, by loading the shipped defaults once). The caller meanwhile parses its command line;
 * when it reaches these, they are done or in progress (class initialisation is thread-safe, so it
 * waits rather than repeats).
 */
public final class StartupPrefetch {
  private StartupPrefetch() {}

  /** Starts the prefetch on daemon threads; the one returned ends when all of it is done. */
  public static Thread start() {
    return Thread.ofPlatform().daemon().name("promptway-prefetch").start(StartupPrefetch::run);
  }

  private static void run() {
    Thread config =
        Thread.ofPlatform()
            .daemon()
            .name("promptway-prefetch-config")
            .start(StartupPrefetch::readConfiguration);
    try {
      HttpRouting.builder();
      Mac.getInstance("HmacSHA256");
      Database.applyEngineSettings();
      try (Connection c = DriverManager.getConnection("jdbc:h2:mem:");
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE prefetch(id VARCHAR(40) PRIMARY KEY, n BIGINT)");
        s.execute("INSERT INTO prefetch VALUES ('a', 1)");
      }
    } catch (Exception | LinkageError e) {
      // Only a head start: start() does the same work and reports any failure itself.
    }
    try {
      config.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void readConfiguration() {
    try {
      new ConfigLoader().defaults();
    } catch (RuntimeException | LinkageError e) {
      // as above: the command loads its configuration itself and reports what is wrong
    }
  }
}
