package io.promptway.cli.scenario;

import io.promptway.cli.ExitCodes;
import io.promptway.scenarios.result.ResultJson;
import io.promptway.scenarios.result.RunResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code promptway report RESULT.json}: re-renders a saved result without running anything. Files
 * are named after the input file, not the scenario, so rendering a renamed or copied result never
 * overwrites another run's files; the input itself is never rewritten.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Re-render a saved result (table, json, csv or html).",
      "Files are named after RESULT: runs/a.json gives runs/a.csv and runs/a.html. json writes a"
          + " copy only with --out to another folder; the input file is never rewritten."
    })
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
    if (Files.isDirectory(result))
      throw new ExitCodes.Failure(
          ExitCodes.USAGE, result + ": is a folder, not a result file; name a .json file in it");
    if (!Files.isRegularFile(result))
      throw new ExitCodes.Failure(ExitCodes.USAGE, result + ": no such result file");
    RunResult r;
    try {
      r = ResultJson.read(result);
    } catch (IllegalArgumentException e) {
      throw new ExitCodes.Failure(ExitCodes.USAGE, e.getMessage());
    }
    Path dir = out != null ? out : result.toAbsolutePath().getParent();
    String base = baseName(result);
    PrintWriter stdout = spec.commandLine().getOut();
    List<String> chosen = new ArrayList<>();
    for (String f : formats) {
      if (isInput(dir.resolve(base + "." + f))) {
        stdout.println("Left " + result + " as it is: it is the input (use --out for a copy)");
      } else chosen.add(f);
    }
    String where = out != null ? "--out " + out : dir.toString();
    ReportOutput.fail(ReportOutput.emit(r, dir, base, chosen, stdout, where));
    return ExitCodes.OK;
  }

  /** The input's file name without its extension: {@code runs/a.json} gives {@code a}. */
  static String baseName(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  private boolean isInput(Path candidate) throws IOException {
    return Files.exists(candidate) && Files.isSameFile(candidate, result);
  }
}
