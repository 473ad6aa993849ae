/**
 * The emulated SQS standard queue, durable on the runtime's database: send, batch receive with a
 * visibility timeout, delete, change visibility, receive counts and redrive to a dead-letter queue,
 * message retention, and billing per API call per 64 KB chunk (empty receives included).
 */
package io.promptway.runtime.queue;
