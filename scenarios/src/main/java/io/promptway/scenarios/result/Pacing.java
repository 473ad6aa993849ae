package io.promptway.scenarios.result;

/**
 * How late the load generator sent requests relative to their schedule (real milliseconds). Large
 * lateness means the machine could not keep up and the offered load was lower than intended.
 */
public record Pacing(long sends, double p50Ms, double p99Ms, double maxMs) {}
