package io.promptway.scenarios.result;

import io.promptway.scenarios.replay.MeterRow;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the runtime's meter billed for one pattern during the run: the rows, their total, the total
 * per 1,000 sent requests, and the split by component.
 */
public record CostSummary(
    double totalUsd, double per1kUsd, Map<String, Double> byComponent, List<MeterRow> rows) {
  public static final CostSummary NONE = new CostSummary(0, 0, Map.of(), List.of());

  public static CostSummary of(List<MeterRow> rows, long sent) {
    double total = rows.stream().mapToDouble(MeterRow::usd).sum();
    Map<String, Double> byComponent = new TreeMap<>();
    for (MeterRow r : rows) byComponent.merge(r.component(), r.usd(), Double::sum);
    return new CostSummary(
        total, sent == 0 ? 0 : total / sent * 1000, byComponent, List.copyOf(rows));
  }
}
