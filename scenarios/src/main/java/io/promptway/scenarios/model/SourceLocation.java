package io.promptway.scenarios.model;

/** A place in a scenario file: the file as given, a 1-based line and a 1-based column. */
public record SourceLocation(String file, int line, int column) {
  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
