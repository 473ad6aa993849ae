/**
 * The emulated OpenAI-compatible model provider at {@code /llm/v1}: chat completions, plain or
 * streamed as SSE, and the model list, with each model's latency, output length and faults (429,
 * 500, 503, stalls, dropped streams) planned deterministically from the seed in simulated time, and
 * input and output tokens billed per model: a caller that goes away mid-call (a stopped function, a
 * cancelled stream) is billed its input and the output generated until then, on every path.
 * Functions reach it over HTTP or take the embedded emulator in process (the same answers, faults
 * and bills without the loopback hop), or requests go to a real upstream provider instead. Prompt
 * tokens are estimated from characters; tool calls, logprobs, n > 1 and images are not modelled.
 */
package io.promptway.runtime.llm;
