/**
 * The Server-Sent Events pattern: {@code POST /sse/generate} answers {@code text/event-stream} at
 * once and streams {@code token} events with sequence ids, then {@code complete} or {@code error},
 * with comment heartbeats while the model is silent. The function streams into a per-request event
 * log independent of the connection, so a client that drops does not stop it (it streams and is
 * billed to the end), and {@code GET /sse/streams/{id}} with {@code Last-Event-ID} resumes the
 * stream with no gap and no duplicate while it runs and for a retention window after it ends.
 */
package io.promptway.patterns.sse;
