package io.promptway.scenarios.model;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A scenario file that cannot be used, with every problem found, each naming the file, line and
 * column ("rate must be positive, got -5 at scenarios/x.yaml:12:9").
 */
public final class ScenarioException extends RuntimeException {
  private final List<Problem> problems;

  public ScenarioException(List<Problem> problems) {
    super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public ScenarioException(String file, String message) {
    this(List.of(new Problem("", message, new SourceLocation(file, 1, 1))));
  }

  public List<Problem> problems() {
    return problems;
  }

  /** One problem: the JSON pointer of the offending value, what is wrong, and where it is. */
  public record Problem(String pointer, String message, SourceLocation location) {
    @Override
    public String toString() {
      return location == null ? message : message + " at " + location;
    }
  }
}
