package io.promptway.patterns.support;

import java.util.Map;

/** Model profiles for tests, as config overrides. */
public final class TestModels {
  private TestModels() {}

  /** A fast model whose every call fails with a 500 (a retryable error). */
  public static void addFlaky(Map<String, Object> overrides, String name) {
    overrides.put(
        "llm.models." + name,
        Map.of(
            "ttft",
            Map.of("median", "10ms", "p95", "10ms"),
            "inter_token",
            Map.of("median", "0ms", "p95", "0ms"),
            "output_tokens",
            Map.of("median", 8, "p95", 8),
            "chars_per_token",
            4.0,
            "context_window",
            128000,
            "faults",
            Map.of(
                "rate_limited", 0.0,
                "server_error", 1.0,
                "unavailable", 0.0,
                "stall", 0.0,
                "stream_drop", 0.0)));
    overrides.put("prices.llm." + name, Map.of("input", 0.15, "output", 0.6));
  }
}
