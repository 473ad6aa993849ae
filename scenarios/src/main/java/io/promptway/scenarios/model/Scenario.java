package io.promptway.scenarios.model;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A workload to replay against every chosen pattern: open-model load stages, a weighted request
 * mix, the emulated LLM's behaviour, deployment settings, the patterns to compare, the time scale,
 * the seed and optional assertions. All durations are simulated milliseconds. Built by {@link
 * ScenarioReader}, which validates every field.
 */
public record Scenario(
    String name,
    String description,
    String useCase,
    long seed,
    double timeScale,
    List<Stage> stages,
    List<RequestClass> mix,
    LlmProfile llm,
    Deployment deployment,
    List<String> patterns,
    double clientTimeoutMs,
    List<String> assertions,
    String source) {

  /** The patterns the replayer knows, in report order. */
  public static final List<String> KNOWN_PATTERNS =
      List.of("sync", "sse", "websocket", "async", "events", "hybrid");

  /** The time scales the runtime accepts (its {@code RuntimeConfig.MIN_TIME_SCALE} and MAX). */
  public static final double MIN_TIME_SCALE = 0.001;

  public static final double MAX_TIME_SCALE = 10_000;

  /** The most tokens a prompt or output may have: more than any model's context window holds. */
  public static final int MAX_TOKENS = 1_000_000;

  /** The runtime's documented {@code gateway.max_tokens_cap}. */
  public static final int DEFAULT_MAX_TOKENS_CAP = 4096;

  /** The runtime's documented {@code gateway.max_prompt_chars}. */
  public static final int DEFAULT_MAX_PROMPT_CHARS = 100_000;

  /** Characters the planner writes per prompt token, as the emulated provider counts them. */
  public static final int CHARS_PER_TOKEN = 4;

  public static final List<String> STAGE_TYPES = List.of("constant", "poisson", "ramp", "burst");

  /** The rows of the seed article's decision table that {@code recommend} compares with. */
  public static final List<String> USE_CASES =
      List.of(
          "chatbot",
          "content-generation",
          "api-integrations",
          "mobile",
          "high-volume-saas",
          "simple-mvp");

  public double durationMs() {
    return stages.stream().mapToDouble(Stage::durationMs).sum();
  }

  public Scenario withPatterns(List<String> chosen) {
    return new Scenario(
        name,
        description,
        useCase,
        seed,
        timeScale,
        stages,
        mix,
        llm,
        deployment,
        chosen,
        clientTimeoutMs,
        assertions,
        source);
  }

  public Scenario withTimeScale(double scale) {
    return new Scenario(
        name,
        description,
        useCase,
        seed,
        scale,
        stages,
        mix,
        llm,
        deployment,
        patterns,
        clientTimeoutMs,
        assertions,
        source);
  }

  /**
   * The largest max_tokens the runtime accepts: its documented default unless the scenario raises
   * it with {@code gateway.max_tokens_cap} under {@code deployment.runtime}. Requests are planned
   * within it, so the embedded runtime and a {@code --target} one with the same settings accept the
   * same requests.
   */
  public int maxTokensCap() {
    return runtimeLimit("gateway.max_tokens_cap", DEFAULT_MAX_TOKENS_CAP);
  }

  /**
   * The longest prompt, in characters, the runtime's gateway accepts: its documented default unless
   * the scenario sets {@code gateway.max_prompt_chars} under {@code deployment.runtime}.
   */
  public int maxPromptChars() {
    return runtimeLimit("gateway.max_prompt_chars", DEFAULT_MAX_PROMPT_CHARS);
  }

  private int runtimeLimit(String key, int dflt) {
    Object set = deployment.runtime().get(key);
    if (set instanceof Number n) return Math.max(1, n.intValue());
    if (set instanceof String text) {
      try {
        return Math.max(1, Integer.parseInt(text.strip()));
      } catch (NumberFormatException e) {
        return dflt; // the runtime's config loader names the bad value
      }
    }
    return dflt;
  }

  // Above it, a few real milliseconds of the machine's own delay read as seconds of simulated time.
  private static final double MAX_QUIET_TIME_SCALE = 50;

  /**
   * What validation lets through but the user should know: a time scale at which the machine's own
   * delays read as seconds, classes whose tail is capped.
   */
  public List<String> warnings() {
    int cap = maxTokensCap();
    List<String> warnings = new ArrayList<>();
    if (timeScale > MAX_QUIET_TIME_SCALE) {
      warnings.add(
          "time_scale "
              + ScenarioReader.fmt(timeScale)
              + ": 5 ms of this machine's own delay (sending, serving, scheduling; common on a busy"
              + " machine) reads as "
              + Durations.format(5 * timeScale)
              + " of simulated latency, on every request; the run's findings say whether it"
              + " distorted the figures. Time scales up to "
              + ScenarioReader.fmt(MAX_QUIET_TIME_SCALE)
              + " keep it under "
              + Durations.format(5 * MAX_QUIET_TIME_SCALE));
    }
    int promptChars = maxPromptChars();
    for (RequestClass c : mix) {
      long chars = (long) c.promptTokens().p95() * CHARS_PER_TOKEN;
      if (chars > promptChars) {
        warnings.add(
            String.format(
                Locale.ROOT,
                "mix class '%s': prompt_tokens p95 %d is about %,d characters, above the runtime's"
                    + " gateway.max_prompt_chars of %,d, so the gateway refuses %s of its requests"
                    + " (400, prompt too long); shorten the prompts or raise"
                    + " gateway.max_prompt_chars under deployment.runtime (and on a --target"
                    + " runtime)",
                c.name(),
                c.promptTokens().p95(),
                chars,
                promptChars,
                (long) c.promptTokens().median() * CHARS_PER_TOKEN > promptChars
                    ? "most or all"
                    : "the longer"));
      }
      if (c.outputTokens().p95() > cap) {
        warnings.add(
            "mix class '"
                + c.name()
                + "': output_tokens p95 "
                + c.outputTokens().p95()
                + " is above the runtime's max_tokens cap of "
                + cap
                + ", so its longer requests are sent with max_tokens "
                + cap
                + "; to send more, raise gateway.max_tokens_cap under deployment.runtime (and on a"
                + " --target runtime)");
      }
    }
    return warnings;
  }

  /**
   * The runtime configuration this scenario implies, as dotted keys for the runtime's config loader
   * ({@code llm.models.gpt-4o-mini.ttft -> {median: 400ms, p95: 1s}}).
   */
  public Map<String, Object> runtimeOverrides() {
    Map<String, Object> o = new LinkedHashMap<>();
    ownSettings((key, field, value) -> o.put(key, value));
    o.put("gateway.max_tokens_cap", maxTokensCap());
    // The bus's processors route to models of their own; a comparison of patterns keeps one model,
    // unless the scenario configures the bus itself.
    if (deployment.runtime().keySet().stream().noneMatch(k -> k.startsWith("bus"))) {
      o.put("bus.model", llm.model());
    }
    o.putAll(deployment.runtime());
    return o;
  }

  /**
   * The runtime keys the scenario sets through fields of its own, each with that field ({@code
   * function.memory_mb -> deployment.function_memory_mb}): {@code deployment.runtime} may not set
   * them too.
   */
  public Map<String, String> ownedRuntimeKeys() {
    Map<String, String> fields = new LinkedHashMap<>();
    ownSettings((key, field, value) -> fields.put(key, field));
    return fields;
  }

  private interface Setting {
    void set(String key, String field, Object value);
  }

  private void ownSettings(Setting to) {
    to.set("time_scale", "time_scale", timeScale);
    to.set("seed", "seed", seed);
    to.set("llm.default_model", "llm.model", llm.model());
    String model = "llm.models." + llm.model() + ".";
    if (llm.ttft() != null) to.set(model + "ttft", "llm.ttft", llm.ttft().asConfig());
    if (llm.interToken() != null)
      to.set(model + "inter_token", "llm.inter_token", llm.interToken().asConfig());
    int cap = maxTokensCap();
    // Unless the profile says otherwise, the model always has more to say than max_tokens allows,
    // so each request's output length follows its class's distribution in the mix.
    TokenRange output = llm.outputTokens() != null ? llm.outputTokens() : new TokenRange(cap, cap);
    to.set(
        model + "output_tokens",
        "llm.output_tokens",
        Map.of("median", output.median(), "p95", output.p95()));
    if (llm.faults() != null) to.set(model + "faults", "llm.faults", llm.faults().asConfig());
    to.set("function.memory_mb", "deployment.function_memory_mb", deployment.functionMemoryMb());
    to.set("gateway.api_type", "deployment.api_type", deployment.apiType());
    to.set(
        "gateway.integration_timeout",
        "deployment.integration_timeout",
        LatencyRange.text(deployment.integrationTimeoutMs()));
    if (deployment.functionConcurrency() != null) {
      to.set(
          "function.concurrency_limit",
          "deployment.function_concurrency",
          deployment.functionConcurrency());
    }
  }

  /**
   * One load stage. {@code constant}: evenly spaced at {@code rate}/s; {@code poisson}: Poisson
   * arrivals at {@code rate}/s; {@code ramp}: Poisson arrivals whose rate moves linearly from
   * {@code rate} to {@code toRate}; {@code burst}: Poisson at {@code rate}, rising to {@code
   * peakRate} for the first {@code lengthMs} of every {@code everyMs}.
   */
  public record Stage(
      String type,
      double rate,
      double toRate,
      double peakRate,
      double durationMs,
      double everyMs,
      double lengthMs) {

    /** The arrival rate (per simulated second) at {@code t} ms into the stage. */
    public double rateAt(double t) {
      return switch (type) {
        case "ramp" -> rate + (toRate - rate) * Math.min(1, t / durationMs);
        case "burst" -> (t % everyMs) < lengthMs ? peakRate : rate;
        default -> rate;
      };
    }

    public double maxRate() {
      return switch (type) {
        case "ramp" -> Math.max(rate, toRate);
        case "burst" -> Math.max(rate, peakRate);
        default -> rate;
      };
    }
  }

  /** A lognormal count given by median and 95th percentile. */
  public record TokenRange(int median, int p95) {}

  /** A lognormal latency in simulated ms, by median and 95th percentile. */
  public record LatencyRange(double medianMs, double p95Ms) {
    Map<String, Object> asConfig() {
      return Map.of("median", text(medianMs), "p95", text(p95Ms));
    }

    static String text(double ms) {
      if (ms == Math.rint(ms)) return (long) ms + "ms";
      return BigDecimal.valueOf(ms).stripTrailingZeros().toPlainString() + "ms";
    }
  }

  /**
   * A class of requests in the mix. {@code callback}: how an async client learns the result —
   * {@code webhook} (waits for the signed callback, polling as a fallback) or {@code poll}; a
   * {@code callbackFailureRate} share of webhook deliveries is answered with 500, as a flaky client
   * would.
   */
  public record RequestClass(
      String name,
      double weight,
      TokenRange promptTokens,
      TokenRange outputTokens,
      boolean interactive,
      String userTier,
      int priority,
      String callback,
      double pollIntervalMs,
      double callbackFailureRate) {}

  /** The emulated model: which one, and optional overrides of its speed and faults. */
  public record LlmProfile(
      String model,
      LatencyRange ttft,
      LatencyRange interToken,
      TokenRange outputTokens,
      Faults faults) {}

  /** Probabilities per request of each provider fault. */
  public record Faults(
      double rateLimited, double serverError, double unavailable, double stall, double streamDrop) {
    Map<String, Object> asConfig() {
      return Map.of(
          "rate_limited", rateLimited,
          "server_error", serverError,
          "unavailable", unavailable,
          "stall", stall,
          "stream_drop", streamDrop);
    }
  }

  /**
   * Deployment settings: function memory, API type ({@code rest|http}), integration timeout,
   * function concurrency limit, and extra runtime config keys passed through as they are.
   */
  public record Deployment(
      int functionMemoryMb,
      String apiType,
      double integrationTimeoutMs,
      Integer functionConcurrency,
      Map<String, Object> runtime) {}
}
