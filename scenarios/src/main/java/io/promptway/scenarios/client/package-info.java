/**
 * Clients of the runtime's patterns, each asking for one generation over the pattern's real
 * protocol and reporting acceptance, tokens and the outcome to a listener: sync, SSE (resuming a
 * dropped stream with {@code Last-Event-ID}), WebSocket chat, the queued async and event-bus
 * patterns (webhook or status polling, whichever brings the result first) and the hybrid router.
 * They share a blocking HTTP client, a server-sent event parser and a local webhook receiver.
 */
package io.promptway.scenarios.client;
