package io.promptway.cli.scenario;

import io.promptway.cli.ExitCodes;
import io.promptway.scenarios.report.Reports;
import io.promptway.scenarios.report.TableReport;
import io.promptway.scenarios.result.RunResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** What {@code run} and {@code report} do with a result: check the formats, then render them. */
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
   * Prints the table (if asked for) and writes the other formats to {@code dir/base.FORMAT}, naming
   * each.
   */
  static void emit(
      RunResult result, Path dir, String base, List<String> formats, PrintWriter stdout)
      throws IOException {
    if (formats.contains("table")) stdout.print(TableReport.render(result));
    List<String> files = formats.stream().filter(f -> !f.equals("table")).toList();
    if (!files.isEmpty()) {
      for (Path p : Reports.write(result, dir, base, files)) stdout.println("Wrote " + p);
    }
    stdout.flush();
  }
}
