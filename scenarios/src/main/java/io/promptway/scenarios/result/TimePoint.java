package io.promptway.scenarios.result;

/** One bucket of a time series: simulated seconds since the start, median and p95, count. */
public record TimePoint(double atSeconds, double p50Ms, double p95Ms, long count) {}
