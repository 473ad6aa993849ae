/**
 * The event-bus pattern: {@code POST /events/requests} turns the request into a CloudEvent on the
 * bus and answers 202; bus rules route it by content (priority, tier, model) to processors, which
 * call the model inside a function invocation; failed deliveries are retried by the bus and end in
 * its dead-letter queue.
 */
package io.promptway.patterns.eventbus;
