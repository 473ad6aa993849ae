package io.promptway.scenarios.result;

/**
 * How late the load generator sent requests relative to their schedule (real milliseconds): {@code
 * p50Ms/p99Ms/maxMs} when each request's thread started sending, {@code dispatchP99Ms/MaxMs} when
 * the scheduler released it (the pacer alone, without thread start-up), {@code
 * wireP50Ms/P99Ms/MaxMs} when the HTTP client started sending the request body (after building the
 * request and getting a connection; 0 when no client reported it). Large lateness means the machine
 * could not keep up and the offered load was lower than intended.
 */
public record Pacing(
    long sends,
    double p50Ms,
    double p99Ms,
    double maxMs,
    double dispatchP99Ms,
    double dispatchMaxMs,
    double wireP50Ms,
    double wireP99Ms,
    double wireMaxMs) {}
