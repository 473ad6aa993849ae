/**
 * The emulated function runtime (Lambda): each invocation is billed one request plus its duration
 * in GB-seconds at 1 ms granularity (simulated time, waiting on the model included), throttled with
 * 429 beyond its function's concurrency limit, and stopped past the maximum duration (900 s by
 * default) and billed for the full maximum (its model call, cut there, bills the tokens generated
 * until the cut). Each function has its own concurrency limit, like reserved concurrency, and an
 * invocation serving a queue batch shares its bill among the batch's requests; cold starts,
 * provisioned concurrency, ARM pricing and the free tier are not modelled.
 */
package io.promptway.runtime.function;
