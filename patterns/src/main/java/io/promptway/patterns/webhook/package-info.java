/**
 * The queue + webhook pattern: {@code POST /async/requests} stores and queues the request and
 * answers 202 at once; workers take batches from the queue, call the model with bounded concurrency
 * inside one function invocation per batch, retry transient failures with exponential backoff, and
 * deliver the result as a signed webhook; {@code GET /async/requests/{id}} reports progress.
 */
package io.promptway.patterns.webhook;
