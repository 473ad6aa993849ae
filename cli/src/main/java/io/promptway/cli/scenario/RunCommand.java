package io.promptway.cli.scenario;

import io.promptway.cli.ExitCodes;
import io.promptway.cli.RuntimeOptions;
import io.promptway.cli.StartsRuntime;
import io.promptway.cli.TargetUrl;
import io.promptway.scenarios.model.Scenario;
import io.promptway.scenarios.report.Reports;
import io.promptway.scenarios.result.RunResult;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code promptway run}: replays scenarios against every chosen pattern with the same seeded
 * workload and reports latency and metered cost. Exit code 0 when every assertion holds, 1 when
 * some fail, 2 for bad input.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Replay scenarios against the patterns and compare latency and cost.")
public final class RunCommand implements Callable<Integer>, StartsRuntime {
  @Parameters(
      arity = "1..*",
      paramLabel = "SCENARIO",
      description = "Scenario files or library names (e.g. chatbot).")
  List<String> scenarios;

  @Option(
      names = "--patterns",
      split = ",",
      paramLabel = "P",
      description =
          "Patterns to compare (default: the scenario's): sync,sse,websocket,async,events,hybrid.")
  List<String> patterns;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "results",
      description = "Where result files go. Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(
      names = "--format",
      split = ",",
      paramLabel = "F",
      defaultValue = "table,json,csv,html",
      description = "Any of table,json,csv,html. Default: ${DEFAULT-VALUE}.")
  List<String> formats;

  @Option(
      names = "--target",
      converter = TargetUrl.class,
      paramLabel = "URL",
      description = "Replay against a runtime already running there instead of starting one.")
  URI target;

  @Option(
      names = "--time-scale",
      paramLabel = "N",
      description = "Override the scenario's time scale (simulated seconds per real second).")
  Double timeScale;

  @Option(names = "--quiet", description = "No progress display.")
  boolean quiet;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ReportOutput.checkFormats(formats);
    List<Scenario> loaded = new ArrayList<>();
    for (String s : scenarios) loaded.add(adjust(ScenarioFiles.read(s), patterns, timeScale));
    checkDistinctNames(loaded, out);
    List<String> bases = loaded.stream().map(s -> Reports.baseName(s.name())).toList();
    String where = "--out " + out;
    ReportOutput.checkWritable(out, bases, formats, where);
    PrintWriter stdout = spec.commandLine().getOut();
    boolean allHold = true;
    List<String> unwritten = new ArrayList<>();
    for (Scenario scenario : loaded) {
      for (String w : scenario.warnings()) {
        spec.commandLine().getErr().println("[promptway] warning: " + scenario.name() + ": " + w);
      }
      RunResult result = ScenarioRun.run(scenario, target, out, progress(quiet));
      unwritten.addAll(
          ReportOutput.emit(result, out, Reports.baseName(result), formats, stdout, where));
      allHold &= result.assertionsHold();
    }
    ReportOutput.fail(unwritten);
    return allHold ? ExitCodes.OK : ExitCodes.ASSERTIONS_FAILED;
  }

  /**
   * Refuses two scenarios whose names give the same base name: the second run would overwrite the
   * first one's result files and delete its state database.
   */
  static void checkDistinctNames(List<Scenario> loaded, Path out) {
    Map<String, Scenario> byBase = new HashMap<>();
    for (Scenario s : loaded) {
      String base = Reports.baseName(s.name());
      Scenario first = byBase.putIfAbsent(base, s);
      if (first != null) {
        throw new ExitCodes.Failure(
            ExitCodes.USAGE,
            s.source()
                + ": scenario '"
                + s.name()
                + "' would write the same files as "
                + first.source()
                + " ('"
                + first.name()
                + "'): "
                + out.resolve(base)
                + ".* and its state database; give one of them another name");
      }
    }
  }

  static Scenario adjust(Scenario s, List<String> patterns, Double timeScale) {
    if (patterns != null) {
      List<String> chosen = new ArrayList<>();
      for (String p : patterns) {
        String name = p.strip().toLowerCase(Locale.ROOT);
        if (name.isEmpty()) continue;
        if (!Scenario.KNOWN_PATTERNS.contains(name)) {
          throw ExitCodes.Failure.unknown("--patterns", "pattern", p, Scenario.KNOWN_PATTERNS);
        }
        if (!chosen.contains(name)) chosen.add(name);
      }
      if (chosen.isEmpty()) {
        throw new ExitCodes.Failure(
            ExitCodes.USAGE,
            "--patterns: no pattern named (known: "
                + String.join(", ", Scenario.KNOWN_PATTERNS)
                + ")");
      }
      s = s.withPatterns(chosen);
    }
    if (timeScale != null) s = s.withTimeScale(RuntimeOptions.checkedTimeScale(timeScale));
    return s;
  }

  /** The live display goes to stderr, only on a terminal. */
  static PrintStream progress(boolean quiet) {
    return quiet || System.console() == null ? null : System.err;
  }
}
