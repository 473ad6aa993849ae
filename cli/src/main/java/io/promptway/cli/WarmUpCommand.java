package io.promptway.cli;

import io.promptway.patterns.PromptwayServer;
import io.promptway.patterns.RunningRuntime;
import io.promptway.runtime.config.ConfigLoader;
import io.promptway.runtime.config.RuntimeConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * Starts the runtime, serves a few requests and exits. The launcher runs it once per build to
 * record an ahead-of-time cache (JDK 25+), which roughly halves start-up time.
 */
@Command(
    name = "warm-up",
    hidden = true,
    description = "Exercise start-up once (used to build the AOT cache).")
public final class WarmUpCommand implements Callable<Integer>, StartsRuntime {
  @Override
  public Integer call() throws Exception {
    // A file database, as `serve` uses: H2's file store is then in the cache too.
    Path dir = Files.createTempDirectory("promptway-warm-up");
    try {
      var config =
          new ConfigLoader()
              .load(
                  null, Map.of("server.port", 0, "state.db_path", dir.resolve("state").toString()));
      exercise(config);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
    return ExitCodes.OK;
  }

  private static void exercise(RuntimeConfig config) throws Exception {
    try (RunningRuntime runtime = PromptwayServer.start(config, notice -> {})) {
      HttpClient http = HttpClient.newHttpClient();
      URI base = runtime.baseUri();
      for (int i = 0; i < 20; i++) {
        http.send(
            HttpRequest.newBuilder(base.resolve("health")).build(),
            HttpResponse.BodyHandlers.discarding());
        http.send(
            HttpRequest.newBuilder(base.resolve("sync/generate"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"prompt\":\"warm up " + i + "\",\"model\":\"instant\"}"))
                .build(),
            HttpResponse.BodyHandlers.discarding());
      }
    }
  }
}
