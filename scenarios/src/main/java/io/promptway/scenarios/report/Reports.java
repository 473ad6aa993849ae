package io.promptway.scenarios.report;

import io.promptway.scenarios.result.ResultJson;
import io.promptway.scenarios.result.RunResult;
import java.util.List;

/** Renders a result in the requested formats ({@code table, json, csv, html}). */
public final class Reports {
  public static final List<String> FORMATS = List.of("table", "json", "csv", "html");

  private Reports() {}

  /** The base name {@code promptway run} gives a result's files: the scenario's name. */
  public static String baseName(RunResult r) {
    return baseName(r.scenario().name());
  }

  /** The base name of the files of a scenario called {@code scenarioName}. */
  public static String baseName(String scenarioName) {
    return scenarioName.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /** The formats of {@code formats} that are written to a file: all but {@code table}. */
  public static List<String> fileFormats(List<String> formats) {
    return formats.stream().filter(f -> !f.equals("table")).toList();
  }

  /** The text of the file for {@code format} (one of {@link #fileFormats}). */
  public static String render(RunResult r, String format) {
    return switch (format) {
      case "json" -> ResultJson.write(r);
      case "csv" -> CsvReport.render(r);
      case "html" -> HtmlReport.render(r);
      default -> throw new IllegalArgumentException("not a file format: " + format);
    };
  }
}
