/**
 * The hybrid router ({@code POST /generate}): classifies each request by explicit mode, stream
 * flag, prompt length, max_tokens and user tier, then serves it synchronously, queues it on a queue
 * and workers of its own, or points the client at a streaming endpoint, saying which and why.
 */
package io.promptway.patterns.hybrid;
