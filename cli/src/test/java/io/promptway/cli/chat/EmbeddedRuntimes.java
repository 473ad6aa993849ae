package io.promptway.cli.chat;

import io.promptway.patterns.PromptwayServer;
import io.promptway.patterns.RunningRuntime;
import io.promptway.runtime.config.ConfigLoader;
import java.util.Map;
import java.util.UUID;

/** The real runtime for chat tests: a free loopback port, in-memory state, a given time scale. */
final class EmbeddedRuntimes {
  private EmbeddedRuntimes() {}

  static RunningRuntime start(int timeScale) {
    return PromptwayServer.start(
        new ConfigLoader()
            .load(
                null,
                Map.of(
                    "server.port",
                    0,
                    "time_scale",
                    timeScale,
                    "state.jdbc_url",
                    "jdbc:h2:mem:chat-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")));
  }
}
