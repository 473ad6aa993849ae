/**
 * Read-only views of the runtime's bill: {@code GET /metering/totals} returns every metered unit
 * summed per pattern (quantity, US dollars and request count), with the date of the price table in
 * use, and {@code GET /metering/prices} the price table itself, config overrides included. The
 * scenario replayer reads the totals before and after a run, so a report's cost is what the runtime
 * billed.
 */
package io.promptway.patterns.admin;
