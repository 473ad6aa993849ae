package io.promptway.scenarios.report;

import io.promptway.scenarios.result.ResultJson;
import io.promptway.scenarios.result.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Writes a result in the requested formats ({@code json, csv, html}) into a directory. */
public final class Reports {
  public static final List<String> FORMATS = List.of("table", "json", "csv", "html");

  private Reports() {}

  /** The base name {@code promptway run} gives a result's files: the scenario's name. */
  public static String baseName(RunResult r) {
    return r.scenario().name().replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /**
   * Writes {@code dir/base.FORMAT} for each format and returns the files written; {@code table} is
   * for the terminal and writes nothing.
   */
  public static List<Path> write(RunResult r, Path dir, String base, Collection<String> formats)
      throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    for (String f : formats) {
      String text =
          switch (f) {
            case "json" -> ResultJson.write(r);
            case "csv" -> CsvReport.render(r);
            case "html" -> HtmlReport.render(r);
            default -> null;
          };
      if (text == null) continue;
      Path file = dir.resolve(base + "." + f);
      Files.writeString(file, text);
      written.add(file);
    }
    return written;
  }
}
