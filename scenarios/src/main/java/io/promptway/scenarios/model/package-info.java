/**
 * The scenario file model: {@code Scenario} is a workload (load stages, a weighted request mix, the
 * emulated model's behaviour, deployment settings, the patterns to compare, time scale, seed and
 * assertions), and {@code ScenarioReader} reads and validates a YAML scenario file, reporting every
 * problem with its file, line and column. Durations are held in simulated milliseconds; assertions
 * are service-level objectives or budgets such as {@code sse.ttft.p95 < 1s}.
 */
package io.promptway.scenarios.model;
