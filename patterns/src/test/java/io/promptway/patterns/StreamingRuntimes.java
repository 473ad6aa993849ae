package io.promptway.patterns;

import io.promptway.runtime.config.ConfigLoader;
import io.promptway.runtime.config.RuntimeConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Runtimes for the streaming acceptance tests: port 0 on loopback, a fresh in-memory database and
 * two fixed-latency models. {@code gpt-4o-mini} starts slowly (600 ms to the first token, then 200
 * tokens 5 ms apart); {@code gpt-4o} streams steadily (200 tokens 10 ms apart).
 */
public final class StreamingRuntimes {
  public static final String SLOW_START = "gpt-4o-mini";
  public static final String STEADY = "gpt-4o";
  public static final int TOKENS = 200;

  private StreamingRuntimes() {}

  public static RunningRuntime start(Map<String, Object> extra) {
    Map<String, Object> o = new HashMap<>();
    o.put("server.host", "127.0.0.1");
    o.put("server.port", 0);
    o.put("state.jdbc_url", "jdbc:h2:mem:streaming-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    o.put("llm.models." + SLOW_START, model("600ms", "5ms"));
    o.put("llm.models." + STEADY, model("20ms", "10ms"));
    o.put("sse.heartbeat_interval", "150ms");
    o.putAll(extra);
    RuntimeConfig config = new ConfigLoader().load(null, o);
    return PromptwayServer.start(config);
  }

  private static Map<String, Object> model(String ttft, String interToken) {
    return Map.of(
        "ttft", Map.of("median", ttft, "p95", ttft),
        "inter_token", Map.of("median", interToken, "p95", interToken),
        "output_tokens", Map.of("median", TOKENS, "p95", TOKENS),
        "chars_per_token", 4.0,
        "context_window", 128000);
  }
}
