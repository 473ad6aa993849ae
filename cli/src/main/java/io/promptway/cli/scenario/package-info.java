/**
 * The scenario commands: {@code run} replays scenarios against the chosen patterns, on an embedded
 * runtime configured from the scenario or on a running one given by {@code --target}, and writes
 * the result in the requested formats (table, JSON, CSV, HTML). {@code report} re-renders a saved
 * result, {@code recommend} ranks the patterns from measured latency, cost and failures, and {@code
 * scenarios list|show|validate} browses and checks the scenario library.
 */
package io.promptway.cli.scenario;
