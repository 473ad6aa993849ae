package io.promptway.cli.scenario;

import io.promptway.cli.ExitCodes;
import io.promptway.runtime.config.FileProblems;
import io.promptway.scenarios.report.Reports;
import io.promptway.scenarios.report.TableReport;
import io.promptway.scenarios.result.RunResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code run} and {@code report} do with a result: check the formats and the folder, then
 * render them. {@code where} names the folder in messages, as the flag that chose it ({@code --out
 * DIR}) when one did.
 */
final class ReportOutput {
  private ReportOutput() {}

  /** Fails with a usage error naming the known formats when {@code formats} has another. */
  static void checkFormats(List<String> formats) {
    for (String f : formats) {
      if (!Reports.FORMATS.contains(f)) {
        throw ExitCodes.Failure.unknown("--format", "format", f, Reports.FORMATS);
      }
    }
  }

  /**
   * Fails with a usage error when the files {@code dir/BASE.FORMAT} could not be written: checked
   * before a run, so that a run is not measured only to lose its results.
   */
  static void checkWritable(Path dir, List<String> bases, List<String> formats, String where) {
    List<String> files = Reports.fileFormats(formats);
    if (files.isEmpty()) return;
    List<String> problems = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      // a probe, not Files.isWritable: access(2) says yes to root and on /proc
      Files.delete(Files.createTempFile(dir, ".promptway-", ".probe"));
    } catch (IOException e) {
      problems.add(cannotUse(dir, e, where));
    }
    for (String base : bases) {
      for (String f : files) {
        Path file = dir.resolve(base + "." + f);
        if (Files.isDirectory(file)) problems.add(cannotWrite(file, null, where));
      }
    }
    fail(problems);
  }

  /**
   * Prints the table (if asked for), then writes the other formats to {@code dir/base.FORMAT},
   * naming each file written; returns a line for each it could not write.
   */
  static List<String> emit(
      RunResult result,
      Path dir,
      String base,
      List<String> formats,
      PrintWriter stdout,
      String where) {
    if (formats.contains("table")) stdout.print(TableReport.render(result));
    stdout.flush();
    List<String> files = Reports.fileFormats(formats);
    if (files.isEmpty()) return List.of();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      return List.of(cannotUse(dir, e, where));
    }
    List<String> problems = new ArrayList<>();
    for (String f : files) {
      Path file = dir.resolve(base + "." + f);
      try {
        Files.writeString(file, Reports.render(result, f));
        stdout.println("Wrote " + file);
      } catch (IOException e) {
        problems.add(cannotWrite(file, e, where));
      }
    }
    stdout.flush();
    return problems;
  }

  /** Fails with a usage error listing {@code problems}, if there are any. */
  static void fail(List<String> problems) {
    if (!problems.isEmpty())
      throw new ExitCodes.Failure(ExitCodes.USAGE, String.join("\n", problems));
  }

  private static String cannotUse(Path dir, IOException e, String where) {
    boolean parentIsThere =
        dir.toAbsolutePath().getParent() != null
            && Files.isDirectory(dir.toAbsolutePath().getParent());
    String reason =
        e instanceof NoSuchFileException && parentIsThere && !Files.exists(dir)
            ? "its parent folder does not take new folders"
            : FileProblems.reason(e);
    return where + ": cannot write results there (" + reason + ")";
  }

  private static String cannotWrite(Path file, IOException e, String where) {
    String reason =
        Files.isDirectory(file) ? "a folder of that name is in the way" : FileProblems.reason(e);
    return where + ": cannot write " + file + " (" + reason + ")";
  }
}
