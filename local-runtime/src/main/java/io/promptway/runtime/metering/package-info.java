/**
 * The bill: every unit the platform charges for (gateway, function, queue, bus, state, LLM tokens)
 * recorded per request and component, and priced at record time from the dated price table shipped
 * as {@code prices.yaml}, optionally overridden by config. Records are written behind to the
 * runtime's database, with running totals per pattern, unit and model, and summed into cost
 * breakdowns by component.
 */
package io.promptway.runtime.metering;
