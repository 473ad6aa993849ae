package io.promptway.runtime.metering;

import io.promptway.runtime.http.Envelope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Cost in USD by component, summed from meter records. */
public record CostBreakdown(double totalUsd, Map<String, Double> byComponent) {

  public static CostBreakdown of(List<MeterRecord> records) {
    double[] byComponent = new double[Component.values().length];
    double total = 0;
    for (MeterRecord r : records) {
      byComponent[r.component().ordinal()] += r.usd();
      total += r.usd();
    }
    return of(total, byComponent);
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
