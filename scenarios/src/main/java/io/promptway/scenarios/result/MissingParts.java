package io.promptway.scenarios.result;

import io.promptway.scenarios.model.Scenario;
import java.util.List;
import java.util.Map;

/**
 * The first part a report or recommendation needs that a saved result lacks (absent or null), named
 * by its JSON path; a file with one part cut out is refused when read rather than failing halfway
 * through writing a report.
 */
final class MissingParts {
  private MissingParts() {}

  /** The path of the first missing part, or null when the result has them all. */
  static String of(RunResult r) {
    if (r == null || r.scenario() == null) return "scenario";
    String part = of(r.scenario());
    if (part != null) return "scenario." + part;
    if (r.target() == null) return "target";
    if (r.startedAt() == null) return "started_at";
    if (r.pacing() == null) return "pacing";
    if (r.patterns() == null) return "patterns";
    for (int i = 0; i < r.patterns().size(); i++) {
      part = of(r.patterns().get(i));
      if (part != null) return "patterns[" + i + "]." + part;
    }
    part = firstNull("assertions", r.assertions());
    if (part != null) return part;
    for (int i = 0; i < r.assertions().size(); i++) {
      if (r.assertions().get(i).assertion() == null) return "assertions[" + i + "].assertion";
    }
    return firstNull("findings", r.findings());
  }

  private static String of(Scenario s) {
    if (s.name() == null) return "name";
    if (s.description() == null) return "description";
    if (s.useCase() == null) return "use_case";
    String part = firstNull("stages", s.stages());
    return part != null ? part : firstNull("mix", s.mix());
  }

  private static String of(PatternResult p) {
    if (p == null || p.pattern() == null) return "pattern";
    if (p.ttft() == null) return "ttft";
    if (p.interToken() == null) return "inter_token";
    if (p.latency() == null) return "latency";
    if (p.cost() == null) return "cost";
    Map<String, Double> byComponent = p.cost().byComponent();
    if (byComponent == null) return "cost.by_component";
    for (var e : byComponent.entrySet()) {
      if (e.getValue() == null) return "cost.by_component." + e.getKey();
    }
    String part = firstNull("latency_curve", p.latencyCurve());
    if (part != null) return part;
    for (int i = 0; i < p.latencyCurve().size(); i++) {
      int length = p.latencyCurve().get(i).length;
      if (length < 2) return "latency_curve[" + i + "][" + length + "]";
    }
    return firstNull("ttft_over_time", p.ttftOverTime());
  }

  /** {@code name} when the list is null, {@code name[i]} for its first null element, else null. */
  private static String firstNull(String name, List<?> list) {
    if (list == null) return name;
    for (int i = 0; i < list.size(); i++) if (list.get(i) == null) return name + "[" + i + "]";
    return null;
  }
}
