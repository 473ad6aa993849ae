package io.promptway.runtime.metering;

import java.time.Instant;

/**
 * One metered quantity: {@code quantity} units of {@code unit} for a request, priced at record
 * time.
 *
 * @param model the model for LLM token units, otherwise null
 */
public record MeterRecord(
    String requestId,
    String pattern,
    BillableUnit unit,
    String model,
    double quantity,
    double usd,
    Instant recordedAt) {

  public Component component() {
    return unit.component();
  }
}
