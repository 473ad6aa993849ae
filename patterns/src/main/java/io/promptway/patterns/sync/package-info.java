/**
 * The synchronous pattern: {@code POST /sync/generate} validates and records the request, then the
 * gateway invokes a function that calls the model and waits for it up to the integration timeout,
 * answering with the whole text in one envelope. Past the timeout the client gets 504 while the
 * function runs on and is billed to the end. The function calls the model provider over HTTP unless
 * {@code llm.sync_over_http} is false; the hybrid router serves its synchronous requests the same
 * way.
 */
package io.promptway.patterns.sync;
