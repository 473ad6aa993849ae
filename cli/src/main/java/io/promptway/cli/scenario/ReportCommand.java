package io.promptway.cli.scenario;

import io.promptway.cli.ExitCodes;
import io.promptway.scenarios.result.ResultJson;
import io.promptway.scenarios.result.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code promptway report RESULT.json}: re-renders a saved result without running anything. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Re-render a saved result (table, json, csv or html).")
public final class ReportCommand implements Callable<Integer> {
  @Parameters(paramLabel = "RESULT.json", description = "A result file written by 'promptway run'.")
  Path result;

  @Option(
      names = "--format",
      split = ",",
      paramLabel = "F",
      defaultValue = "table",
      description = "Any of table,json,csv,html. Default: ${DEFAULT-VALUE}.")
  List<String> formats;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Where files go. Default: beside the result file.")
  Path out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ReportOutput.checkFormats(formats);
    if (!Files.isRegularFile(result))
      throw new ExitCodes.Failure(ExitCodes.USAGE, result + ": no such result file");
    RunResult r;
    try {
      r = ResultJson.read(result);
    } catch (IllegalArgumentException e) {
      throw new ExitCodes.Failure(ExitCodes.USAGE, e.getMessage());
    }
    Path dir = out != null ? out : result.toAbsolutePath().getParent();
    ReportOutput.emit(r, dir, formats, spec.commandLine().getOut());
    return ExitCodes.OK;
  }
}
