package io.promptway.runtime.metering;

import io.promptway.runtime.http.Envelope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Cost in USD by component, summed from meter records. */
public record CostBreakdown(double totalUsd, Map<String, Double> byComponent) {

  public static CostBreakdown of(List<MeterRecord> records) {
    Map<String, Double> by = new LinkedHashMap<>();
    for (Component c : Component.values()) by.put(c.label(), 0.0);
    double total = 0;
    for (MeterRecord r : records) {
      by.merge(r.component().label(), r.usd(), Double::sum);
      total += r.usd();
    }
    by.values().removeIf(v -> v == 0.0);
    return new CostBreakdown(total, by);
  }

  /** From sums kept by component ({@link Component#ordinal()}) and their total. */
  static CostBreakdown of(double totalUsd, double[] usdByComponent) {
    Map<String, Double> by = new LinkedHashMap<>();
    for (Component c : Component.values()) {
      double usd = usdByComponent[c.ordinal()];
      if (usd != 0.0) by.put(c.label(), usd);
    }
    return new CostBreakdown(totalUsd, by);
  }

  public Envelope.Cost toEnvelope() {
    return new Envelope.Cost(totalUsd, byComponent);
  }
}
