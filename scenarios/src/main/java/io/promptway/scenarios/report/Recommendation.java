package io.promptway.scenarios.report;

import java.util.List;

/**
 * Patterns ranked from a run, each with its score (lower is better) and reasons, and how the
 * ranking compares with the seed article's decision table for the scenario's use case.
 */
public record Recommendation(
    String scenario,
    String useCase,
    String basis,
    List<Ranked> ranking,
    String articlePick,
    String articleReason,
    String agreement) {

  /** One ranked pattern. */
  public record Ranked(int rank, String pattern, double score, List<String> reasons) {}
}
