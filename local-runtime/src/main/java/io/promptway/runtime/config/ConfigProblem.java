package io.promptway.runtime.config;

/**
 * One thing wrong with the configuration and where its value came from: a file with the line and
 * column ({@code my.yaml:12:14: ...}), a file, a flag ({@code --upstream: ...}) or, for overrides
 * without a name, {@code configuration}. A line of 0 means none.
 */
public record ConfigProblem(String source, int line, int column, String message) {

  /** A problem with no line: the source as a whole, or a value that was not written in a file. */
  public static ConfigProblem of(String source, String message) {
    return new ConfigProblem(source, 0, 0, message);
  }

  public boolean hasLine() {
    return line > 0;
  }

  @Override
  public String toString() {
    return source + (hasLine() ? ":" + line + ":" + column : "") + ": " + message;
  }
}
