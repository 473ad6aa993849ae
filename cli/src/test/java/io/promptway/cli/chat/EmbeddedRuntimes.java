package io.promptway.cli.chat;

import io.promptway.patterns.PromptwayServer;
import io.promptway.patterns.RunningRuntime;
import io.promptway.runtime.config.ConfigLoader;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** The real runtime for chat tests: a free loopback port, in-memory state, a given time scale. */
final class EmbeddedRuntimes {
  private EmbeddedRuntimes() {}

  static RunningRuntime start(int timeScale) {
    return start(timeScale, Map.of());
  }

  /** As {@link #start(int)}, with further settings (e.g. a model's profile). */
  static RunningRuntime start(int timeScale, Map<String, Object> settings) {
    Map<String, Object> all = new HashMap<>(settings);
    all.put("server.port", 0);
    all.put("time_scale", timeScale);
    all.put("state.jdbc_url", "jdbc:h2:mem:chat-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    return PromptwayServer.start(new ConfigLoader().load(null, all));
  }
}
