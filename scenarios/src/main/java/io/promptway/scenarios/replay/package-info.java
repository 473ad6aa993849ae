/**
 * The replayer: sends a scenario's seeded request sequence to every chosen pattern at once on one
 * shared open-model schedule compressed by the time scale, each request on its own virtual thread
 * whether or not earlier ones have finished. It measures each pattern's latencies from the
 * scheduled send instant, scaled back to simulated time, and takes cost from the runtime's meter
 * ({@code GET /metering/totals}) read before and after the run.
 */
package io.promptway.scenarios.replay;
