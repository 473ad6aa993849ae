/**
 * The outcome of a run: per pattern, latency percentiles in simulated milliseconds, errors by kind,
 * unfinished requests and the cost the runtime's meter billed, together with the load generator's
 * pacing, the assertion outcomes and plain-words findings. {@code ResultJson} writes and reads it
 * as snake_case JSON, which {@code promptway report} re-renders.
 */
package io.promptway.scenarios.result;
