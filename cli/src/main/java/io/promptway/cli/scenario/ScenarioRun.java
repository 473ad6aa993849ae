package io.promptway.cli.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promptway.cli.LogSetup;
import io.promptway.cli.TargetUrl;
import io.promptway.patterns.PromptwayServer;
import io.promptway.patterns.RunningRuntime;
import io.promptway.runtime.config.ConfigLoader;
import io.promptway.runtime.config.FileProblems;
import io.promptway.runtime.config.RuntimeConfig;
import io.promptway.scenarios.client.PatternClients;
import io.promptway.scenarios.model.Scenario;
import io.promptway.scenarios.replay.Replayer;
import io.promptway.scenarios.report.Reports;
import io.promptway.scenarios.result.Findings;
import io.promptway.scenarios.result.RunResult;
import io.promptway.scenarios.result.Verdicts;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one scenario: starts the embedded runtime configured from the scenario (unless a target is
 * given), replays the workload, then checks assertions and writes findings.
 */
final class ScenarioRun {
  static final String TARGET_SETTINGS =
      "[promptway] note: the target answers with its own settings: the scenario's llm profile"
          + " (ttft, inter_token, output_tokens, faults), bus.model and deployment configure only"
          + " an embedded runtime; serve the target with the same settings to compare like with"
          + " like";

  private ScenarioRun() {}

  static RunResult run(Scenario scenario, URI target, Path stateDir, PrintStream progress) {
    HttpClient http = PatternClients.httpClient();
    if (target != null) {
      checkTarget(http, target, scenario.timeScale());
      System.err.println(TARGET_SETTINGS);
      return finish(new Replayer(http, target, progress).run(scenario));
    }
    Map<String, Object> overrides = new LinkedHashMap<>(scenario.runtimeOverrides());
    overrides.put("server.port", 0);
    overrides.put("server.host", "127.0.0.1");
    overrides.put("environment", "production");
    overrides.put("state.db_path", freshDatabase(stateDir, scenario.name()));
    RuntimeConfig config = new ConfigLoader().load(null, overrides);
    LogSetup.quietEmbeddedRuntime();
    try (RunningRuntime runtime = PromptwayServer.start(config, notice -> {})) {
      return finish(new Replayer(http, runtime.baseUri(), progress).run(scenario));
    }
  }

  /**
   * A target that cannot be reached at all is refused before any load is sent. One that answers
   * (any status: a real deployment may have no health route) is checked for its time scale: a
   * remote runtime keeps its own clock, and the replay reads real time as simulated time at the
   * scenario's scale, so a target at another scale is refused rather than measured wrong.
   */
  private static void checkTarget(HttpClient http, URI target, double scale) {
    HttpResponse<String> response =
        TargetUrl.reach(
            http,
            target,
            "start a runtime there with ./promptway serve, or leave --target out to run on an"
                + " embedded one");
    JsonNode node;
    try {
      var health = new ObjectMapper().readTree(response.body());
      node = health.has("data") ? health.get("data") : health;
    } catch (IOException | RuntimeException e) {
      System.err.println(
          "[promptway] warning: "
              + target
              + " answered GET /health with "
              + response.statusCode()
              + " and no JSON; its time scale is not checked");
      return;
    }
    if (node.path("time_scale").isNumber() && node.get("time_scale").asDouble() != scale) {
      String theirs = node.get("time_scale").asText();
      throw new IllegalArgumentException(
          "--target "
              + target
              + " runs at time scale "
              + theirs
              + " but the scenario at "
              + scale
              + ": its latencies would be read "
              + (scale / node.get("time_scale").asDouble())
              + "x off; run with --time-scale "
              + theirs
              + ", or serve the target with --time-scale "
              + scale);
    }
  }

  private static RunResult finish(RunResult raw) {
    RunResult checked = raw.withVerdicts(Verdicts.check(raw), raw.findings());
    return checked.withVerdicts(checked.assertions(), Findings.of(checked));
  }

  /** A new H2 file per run, kept beside the results so it can be inspected with SQL. */
  private static String freshDatabase(Path dir, String name) {
    try {
      Files.createDirectories(dir);
      Path db = dir.resolve(Reports.baseName(name) + "-state");
      Files.deleteIfExists(Path.of(db + ".mv.db"));
      Files.deleteIfExists(Path.of(db + ".trace.db"));
      return db.toString();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--out "
              + dir
              + ": cannot keep the run's database there ("
              + FileProblems.reason(e)
              + ")");
    }
  }
}
