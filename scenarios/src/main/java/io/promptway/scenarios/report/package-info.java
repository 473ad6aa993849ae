/**
 * Renderings of a run's result: the terminal summary table, CSV, and a self-contained HTML page
 * with inline SVG charts and no scripts, written with the result JSON in the requested formats.
 * {@code Recommender} ranks the compared patterns by a score of latency, cost and failure rate and
 * compares the winner with the seed article's recommended strategy for the scenario's use case.
 */
package io.promptway.scenarios.report;
