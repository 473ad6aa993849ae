package io.promptway.cli.scenario;

import io.promptway.cli.ExitCodes;
import io.promptway.cli.TargetUrl;
import io.promptway.scenarios.report.Recommender;
import io.promptway.scenarios.result.ResultJson;
import io.promptway.scenarios.result.RunResult;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code promptway recommend SCENARIO|RESULT.json}: ranks the patterns from measured latency, cost
 * and failures (running the scenario first when given one) and compares with the seed article.
 */
@Command(
    name = "recommend",
    mixinStandardHelpOptions = true,
    description = "Rank patterns for a scenario from measured latency, cost and failures.")
public final class RecommendCommand implements Callable<Integer> {
  @Parameters(
      paramLabel = "SCENARIO|RESULT.json",
      description = "A scenario to run, or a saved result.")
  String input;

  @Option(
      names = "--target",
      converter = TargetUrl.class,
      paramLabel = "URL",
      description = "Replay against a runtime already running there.")
  URI target;

  @Option(
      names = "--time-scale",
      paramLabel = "N",
      description = "Override the scenario's time scale.")
  Double timeScale;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "results",
      description =
          "Where the state database goes when a scenario is run. Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(names = "--quiet", description = "No progress display.")
  boolean quiet;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    RunResult result;
    if (input.endsWith(".json")) {
      if (!Files.isRegularFile(Path.of(input)))
        throw new ExitCodes.Failure(ExitCodes.USAGE, input + ": no such result file");
      try {
        result = ResultJson.read(Path.of(input));
      } catch (IllegalArgumentException e) {
        throw new ExitCodes.Failure(ExitCodes.USAGE, e.getMessage());
      }
    } else {
      var scenario = RunCommand.adjust(ScenarioFiles.read(input), null, timeScale);
      result = ScenarioRun.run(scenario, target, out, RunCommand.progress(quiet));
    }
    spec.commandLine().getOut().print(Recommender.render(Recommender.recommend(result)));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
