package io.promptway.runtime.llm;

/**
 * Where a streaming model call's tokens come from: over HTTP from an OpenAI-compatible endpoint
 * ({@link LlmClient}'s own path, used for an upstream provider) or straight from the embedded
 * emulator's plan ({@link EmulatedModel}). Both deliver the same tokens, faults and bills; the
 * in-process one skips the loopback hop, the chunk JSON and its parse.
 */
public interface TokenStreams {
  /**
   * Streams tokens to {@code listener} on the calling thread, in order, and returns the completion.
   * A stream that ends early fails with a retryable {@link LlmCallException}; a cancelled one
   * returns what arrived, with finish reason "cancelled".
   */
  LlmClient.Completion stream(
      LlmClient.Call call, LlmClient.TokenListener listener, LlmClient.Cancellation cancellation);
}
