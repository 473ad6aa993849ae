package io.promptway.scenarios.result;

/**
 * How late the load generator sent requests relative to their schedule (real milliseconds): {@code
 * p50Ms/p99Ms/maxMs} when each request's thread started sending, {@code dispatchP99Ms/MaxMs} when
 * the scheduler released it (the pacer alone, without thread start-up). Large lateness means the
 * machine could not keep up and the offered load was lower than intended.
 */
public record Pacing(
    long sends,
    double p50Ms,
    double p99Ms,
    double maxMs,
    double dispatchP99Ms,
    double dispatchMaxMs) {}
