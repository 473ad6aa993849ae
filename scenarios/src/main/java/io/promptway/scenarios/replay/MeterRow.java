package io.promptway.scenarios.replay;

/** One row of the runtime's {@code GET /metering/totals}: billed quantity and dollars. */
public record MeterRow(
    String pattern,
    String unit,
    String component,
    String model,
    double quantity,
    double usd,
    long requests) {

  String key() {
    return pattern + "|" + unit + "|" + component + "|" + model;
  }
}
