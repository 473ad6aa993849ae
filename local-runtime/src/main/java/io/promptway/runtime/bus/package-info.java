/**
 * The emulated event bus (EventBridge): CloudEvents 1.0 envelopes, rules with JSON event patterns
 * that fan out to several targets, a target retry policy with a dead-letter queue, an archive of
 * every event and delivery, and billing per event per 64 KB chunk.
 */
package io.promptway.runtime.bus;
