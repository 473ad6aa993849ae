package io.promptway.runtime.config;

import io.promptway.runtime.llm.ModelProfile;
import io.promptway.runtime.webhook.CallbackAllowList;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything the runtime can be told, with defaults from {@code promptway-defaults.yaml}. Loaded by
 * {@link ConfigLoader}: defaults, then a YAML file, then flags.
 */
public record RuntimeConfig(
    Server server,
    Environment environment,
    double timeScale,
    long seed,
    State state,
    Gateway gateway,
    Function function,
    Llm llm,
    Map<String, Object> prices,
    Queue queue,
    Webhook webhook,
    Async async,
    Bus bus,
    Hybrid hybrid,
    Sse sse,
    Websocket websocket) {
  /**
   * The time scales one may choose. The clock counts simulated nanoseconds in a long, which at the
   * top of this range lasts ten days of real time; beyond it one real millisecond reads as minutes,
   * so nothing measured would mean anything.
   */
  public static final double MIN_TIME_SCALE = 0.001;

  public static final double MAX_TIME_SCALE = 10_000;

  /** Refuses a time scale outside the range, naming {@code key} (a config key or a flag). */
  public static void checkTimeScale(String key, double value) {
    ConfigBounds.within(key, value, MIN_TIME_SCALE, MAX_TIME_SCALE);
  }

  /** The user tiers a request may name, lowest first. */
  public static final List<String> USER_TIERS =
      List.of("free", "standard", "premium", "enterprise");

  /** What the hybrid router can give a standard request. */
  public static final List<String> HYBRID_FALLBACKS = List.of("async", "sync");

  /**
   * The top-level values, and what one section says about another: a bus processor's model must be
   * one of the models.
   */
  public RuntimeConfig {
    checkTimeScale("time_scale", timeScale);
    if (bus != null && bus.model() != null && !bus.model().isBlank() && llm != null) {
      if (!llm.models().containsKey(bus.model())) {
        throw new IllegalArgumentException(
            "bus.model '"
                + bus.model()
                + "' is not one of llm.models: "
                + new TreeSet<>(llm.models().keySet()));
      }
    }
    if (bus != null && bus.processors() != null && llm != null) {
      bus.processors()
          .forEach(
              (name, processor) -> {
                String model = processor == null ? null : processor.model();
                if (model != null && !model.isBlank() && !llm.models().containsKey(model)) {
                  throw new IllegalArgumentException(
                      "bus.processors."
                          + name
                          + ".model '"
                          + model
                          + "' is not one of llm.models: "
                          + new TreeSet<>(llm.models().keySet()));
                }
              });
    }
  }

  public enum Environment {
    DEVELOPMENT,
    PRODUCTION;

    public boolean showsDetails() {
      return this == DEVELOPMENT;
    }
  }

  public enum ApiType {
    /** REST API: integration timeout 29 s by default, configurable. */
    REST,
    /** HTTP API: integration timeout at most 30 s, not increasable. */
    HTTP
  }

  public record Server(String host, int port) {
    public Server {
      ConfigBounds.within("port", port, 0, 65_535);
    }
  }

  /** Request state: a JDBC URL wins; otherwise an H2 file database at {@code dbPath}. */
  public record State(String jdbcUrl, String dbPath, Duration ttl, Duration cleanupInterval) {
    public State {
      ConfigBounds.positive("ttl", ttl);
      ConfigBounds.positive("cleanup_interval", cleanupInterval);
    }

    public String effectiveJdbcUrl() {
      if (jdbcUrl != null && !jdbcUrl.isBlank()) return jdbcUrl;
      return "jdbc:h2:file:" + Path.of(dbPath).toAbsolutePath() + ";DB_CLOSE_DELAY=-1";
    }
  }

  public record Gateway(
      ApiType apiType,
      Duration integrationTimeout,
      long maxPayloadBytes,
      int maxPromptChars,
      int maxMessages,
      int maxTokensDefault,
      int maxTokensCap,
      double temperatureDefault,
      int maxHeaderBytes,
      Throttle throttle,
      Map<String, UsagePlan> usagePlans,
      ApiKeys apiKeys,
      Cors cors,
      DataTrace dataTrace) {

    public Gateway {
      ConfigBounds.required("api_type", apiType);
      ConfigBounds.positive("integration_timeout", integrationTimeout);
      if (apiType == ApiType.HTTP && integrationTimeout.compareTo(Duration.ofSeconds(30)) > 0) {
        throw new IllegalArgumentException(
            "integration_timeout of an http API is at most 30s, got "
                + DurationText.format(integrationTimeout));
      }
      ConfigBounds.atLeast("max_payload_bytes", maxPayloadBytes, 1);
      ConfigBounds.atLeast("max_prompt_chars", maxPromptChars, 1);
      ConfigBounds.atLeast("max_messages", maxMessages, 1);
      ConfigBounds.atLeast("max_tokens_cap", maxTokensCap, 1);
      ConfigBounds.within("max_tokens_default", maxTokensDefault, 1, maxTokensCap);
      ConfigBounds.within("temperature_default", temperatureDefault, 0.0, 2.0);
      ConfigBounds.atLeast("max_header_bytes", maxHeaderBytes, 1);
      if (throttle == null) throttle = new Throttle(true, 1000, 2000);
      usagePlans = usagePlans == null ? Map.of() : Map.copyOf(usagePlans);
      if (apiKeys == null) apiKeys = new ApiKeys(false, "PROMPTWAY_API_KEYS", List.of());
      if (cors == null) cors = Cors.DISABLED;
      if (dataTrace == null) dataTrace = new DataTrace(false, 4096, 200);
    }

    /** The limits only, with every production feature at its default. */
    public Gateway(
        ApiType apiType,
        Duration integrationTimeout,
        long maxPayloadBytes,
        int maxPromptChars,
        int maxMessages,
        int maxTokensDefault,
        int maxTokensCap,
        double temperatureDefault) {
      this(
          apiType,
          integrationTimeout,
          maxPayloadBytes,
          maxPromptChars,
          maxMessages,
          maxTokensDefault,
          maxTokensCap,
          temperatureDefault,
          16_384,
          null,
          null,
          null,
          null,
          null);
    }
  }

  /** The stage's token bucket: {@code steadyRps} refill rate, {@code burst} capacity. */
  public record Throttle(boolean enabled, double steadyRps, int burst) {
    public Throttle {
      if (enabled) {
        ConfigBounds.positive("steady_rps", steadyRps);
        ConfigBounds.atLeast("burst", burst, 1);
      }
    }
  }

  /**
   * A usage plan attached to API keys: its own token bucket, a daily request quota and a daily
   * budget in USD (0 = none; a rate or burst of 0 takes the stage's).
   */
  public record UsagePlan(double steadyRps, int burst, long quotaPerDay, double budgetUsdPerDay) {
    public UsagePlan {
      ConfigBounds.notNegative("steady_rps", steadyRps);
      ConfigBounds.atLeast("burst", burst, 0);
      ConfigBounds.atLeast("quota_per_day", quotaPerDay, 0);
      ConfigBounds.notNegative("budget_usd_per_day", budgetUsdPerDay);
    }
  }

  /**
   * Optional x-api-key authentication. Keys come from {@code keys} (each {@code key} or the name of
   * an environment variable in {@code keyEnv}) and from the variable named by {@code env}, written
   * {@code name:key[:plan],...}.
   */
  public record ApiKeys(boolean required, String env, List<ApiKey> keys) {
    public ApiKeys {
      keys = keys == null ? List.of() : List.copyOf(keys);
    }
  }

  /** One API key; {@code name} identifies the caller in metrics and the request lifecycle. */
  public record ApiKey(String name, String key, String keyEnv, String plan) {
    @Override
    public String toString() {
      return "ApiKey[name=" + name + ", plan=" + plan + "]";
    }
  }

  /** Cross-origin access; no allowed origins means no CORS headers at all. */
  public record Cors(
      List<String> allowedOrigins,
      List<String> allowedMethods,
      List<String> allowedHeaders,
      List<String> exposedHeaders,
      Duration maxAge,
      boolean allowCredentials) {
    public static final Cors DISABLED =
        new Cors(
            List.of(),
            List.of("GET", "POST", "OPTIONS"),
            List.of("Content-Type", "Authorization", "x-api-key"),
            List.of("X-Request-Id"),
            Duration.ofMinutes(10),
            false);

    public Cors {
      allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
      allowedMethods = allowedMethods == null ? List.of() : List.copyOf(allowedMethods);
      allowedHeaders = allowedHeaders == null ? List.of() : List.copyOf(allowedHeaders);
      exposedHeaders = exposedHeaders == null ? List.of() : List.copyOf(exposedHeaders);
      if (maxAge == null) maxAge = Duration.ofMinutes(10);
      ConfigBounds.notNegative("max_age", maxAge);
      for (String origin : allowedOrigins) {
        // an origin the browser can never send would match nothing, silently
        if (!origin.equals("*") && !origin.matches("https?://[^/\\s?#]+")) {
          throw new IllegalArgumentException(
              "allowed_origins: '"
                  + origin
                  + "' is not an origin such as http://localhost:3000 (scheme and host, no path)"
                  + " or *");
        }
      }
      // a browser would send credentials to any site that asks, the wildcard reflected as its
      // origin
      if (allowCredentials && allowedOrigins.contains("*")) {
        throw new IllegalArgumentException(
            "allowed_origins: '*' cannot be combined with allow_credentials: true (every origin,"
                + " even 'null', would be answered with credentials); list the origins instead");
      }
    }
  }

  /** Data-trace logging of request and response bodies (redacted, truncated); off by default. */
  public record DataTrace(boolean enabled, int maxBodyChars, int promptChars) {
    public DataTrace {
      ConfigBounds.atLeast("max_body_chars", maxBodyChars, 0);
      ConfigBounds.atLeast("prompt_chars", promptChars, 0);
    }
  }

  /** The platform's limits: 128-10,240 MB of memory, at most 900 s per invocation. */
  public record Function(int memoryMb, Duration maxDuration, int concurrencyLimit) {
    public Function {
      ConfigBounds.within("memory_mb", memoryMb, 128, 10_240);
      ConfigBounds.within(
          "max_duration", maxDuration, Duration.ofMillis(1), Duration.ofSeconds(900));
      ConfigBounds.atLeast("concurrency_limit", concurrencyLimit, 1);
    }
  }

  /**
   * @param inProcess whether functions other than the sync pattern's take the embedded emulator in
   *     process rather than over loopback HTTP (no effect with an upstream)
   * @param syncOverHttp whether the sync pattern's function calls the provider over loopback HTTP,
   *     like a function calling a hosted model (the default); false lets it take the emulator in
   *     process too, when {@code inProcess} is on, so that no pattern pays for a loopback hop
   */
  public record Llm(
      String defaultModel,
      boolean inProcess,
      boolean syncOverHttp,
      String upstream,
      String upstreamApiKeyEnv,
      Duration upstreamTimeout,
      Map<String, ModelProfile> models) {
    public Llm {
      ConfigBounds.required("models", models);
      if (models.isEmpty())
        throw new IllegalArgumentException("models must name at least one model");
      if (!models.containsKey(defaultModel)) {
        throw new IllegalArgumentException(
            "default_model '"
                + defaultModel
                + "' is not one of the models: "
                + new TreeSet<>(models.keySet()));
      }
      ConfigBounds.positive("upstream_timeout", upstreamTimeout);
      if (upstream != null && !upstream.isBlank()) {
        if (hasUserInfo(upstream)) {
          // the value is not echoed: it holds a password
          throw new IllegalArgumentException(
              "upstream must not carry credentials (user:password@) in its URL: put credentials in "
                  + (upstreamApiKeyEnv == null ? "PROMPTWAY_UPSTREAM_API_KEY" : upstreamApiKeyEnv)
                  + ", not the URL");
        }
        ConfigBounds.httpUrl("upstream", upstream);
      }
    }

    /** Whether the URL's authority has user-info; works on text no URI parser accepts too. */
    private static boolean hasUserInfo(String url) {
      int scheme = url.indexOf("://");
      String rest = scheme < 0 ? url : url.substring(scheme + 3);
      int end = rest.length();
      for (char c : new char[] {'/', '?', '#'}) {
        int at = rest.indexOf(c);
        if (at >= 0) end = Math.min(end, at);
      }
      return rest.substring(0, end).contains("@");
    }
  }

  /** The emulated SQS standard queue: defaults of every queue the runtime creates. */
  public record Queue(
      Duration visibilityTimeout,
      int maxReceiveCount,
      Duration retention,
      int maxMessageBytes,
      Duration receiveWait) {
    public Queue {
      ConfigBounds.within(
          "visibility_timeout", visibilityTimeout, Duration.ZERO, Duration.ofHours(12));
      ConfigBounds.within("max_receive_count", maxReceiveCount, 1, 1000);
      ConfigBounds.within("retention", retention, Duration.ofSeconds(60), Duration.ofDays(14));
      ConfigBounds.within("max_message_bytes", maxMessageBytes, 1, 1_048_576);
      ConfigBounds.within("receive_wait", receiveWait, Duration.ZERO, Duration.ofSeconds(20));
    }
  }

  /**
   * Outbound signed callbacks: hosts and networks callbacks may reach, the retry schedule (delay
   * before each attempt after the first) and the per-attempt timeout.
   */
  public record Webhook(
      List<String> allowHosts, List<Duration> retrySchedule, double jitter, Duration timeout) {
    public Webhook {
      if (allowHosts != null) {
        for (int i = 0; i < allowHosts.size(); i++) {
          String problem = CallbackAllowList.entryProblem(String.valueOf(allowHosts.get(i)));
          if (problem != null)
            throw new IllegalArgumentException("allow_hosts[" + i + "] " + problem);
        }
      }
      ConfigBounds.required("retry_schedule", retrySchedule);
      for (int i = 0; i < retrySchedule.size(); i++) {
        ConfigBounds.notNegative("retry_schedule[" + i + "]", retrySchedule.get(i));
      }
      ConfigBounds.within("jitter", jitter, 0.0, 1.0);
      ConfigBounds.positive("timeout", timeout);
    }
  }

  /** The queue + webhook pattern's workers: pollers, batch size, LLM concurrency and retries. */
  public record Async(
      int workers,
      int batchSize,
      Duration batchWindow,
      int concurrencyPerWorker,
      int maxAttempts,
      Duration retryBase,
      Duration retryMax,
      Duration visibilityTimeout) {
    public Async {
      if (batchWindow == null) batchWindow = Duration.ZERO;
      ConfigBounds.within("batch_window", batchWindow, Duration.ZERO, Duration.ofMinutes(5));
      ConfigBounds.atLeast("workers", workers, 1);
      ConfigBounds.within("batch_size", batchSize, 1, 10_000);
      ConfigBounds.atLeast("concurrency_per_worker", concurrencyPerWorker, 1);
      ConfigBounds.atLeast("max_attempts", maxAttempts, 1);
      ConfigBounds.positive("retry_base", retryBase);
      ConfigBounds.notBelow("retry_max", retryMax, "retry_base", retryBase);
      ConfigBounds.positive("visibility_timeout", visibilityTimeout);
    }
  }

  /**
   * The emulated event bus: routing rules, target processors, target retry policy, and {@code
   * model}: when set, every processor serves with it, whatever its own (a comparison of patterns on
   * one model sets it, so that the bus's routing does not change the model under the comparison).
   */
  public record Bus(
      List<BusRule> rules,
      Map<String, BusProcessor> processors,
      int maxAttempts,
      Duration maxEventAge,
      Duration retryBase,
      Duration retryMax,
      String model) {
    public Bus {
      ConfigBounds.within("max_attempts", maxAttempts, 1, 185);
      ConfigBounds.within(
          "max_event_age", maxEventAge, Duration.ofSeconds(60), Duration.ofHours(24));
      ConfigBounds.positive("retry_base", retryBase);
      ConfigBounds.notBelow("retry_max", retryMax, "retry_base", retryBase);
      Set<String> names = new HashSet<>();
      for (BusRule rule : rules == null ? List.<BusRule>of() : rules) {
        if (!names.add(rule.name()))
          throw new IllegalArgumentException("two rules are named '" + rule.name() + "'");
        for (String target : rule.targets()) {
          if (processors == null || !processors.containsKey(target)) {
            throw new IllegalArgumentException(
                "rule '"
                    + rule.name()
                    + "' targets '"
                    + target
                    + "', which is not under bus.processors (known: "
                    + (processors == null ? "none" : processors.keySet())
                    + ")");
          }
        }
      }
    }

    /** The processor {@code name} as it serves: with the bus's model when one is set. */
    public BusProcessor processor(String name) {
      BusProcessor p = processors.get(name);
      if (p == null || model == null || model.isBlank()) return p;
      return new BusProcessor(model, p.description());
    }

    /** Every processor as it serves. */
    public Map<String, BusProcessor> servingProcessors() {
      Map<String, BusProcessor> out = new LinkedHashMap<>();
      processors.keySet().forEach(name -> out.put(name, processor(name)));
      return out;
    }
  }

  /** An EventBridge-style rule: a JSON event pattern and the targets it fans out to. */
  public record BusRule(
      String name, String description, Map<String, Object> pattern, List<String> targets) {
    public BusRule {
      if (name == null || name.isBlank()) throw new IllegalArgumentException("name is required");
      if (targets == null || targets.isEmpty())
        throw new IllegalArgumentException("targets: name at least one processor");
      targets = List.copyOf(targets);
    }
  }

  /** A processor a rule can target; {@code model} overrides the request's model when set. */
  public record BusProcessor(String model, String description) {}

  /**
   * The hybrid router's rules: explicit mode wins; stream or interactive tiers go to streaming;
   * short prompts from sync tiers are served synchronously; long prompts and the rest go async.
   */
  public record Hybrid(
      int quickMaxPromptChars,
      List<String> syncTiers,
      int asyncMinPromptChars,
      int asyncMinMaxTokens,
      String streamUrl,
      String chatUrl,
      String fallback) {
    public Hybrid {
      ConfigBounds.atLeast("quick_max_prompt_chars", quickMaxPromptChars, 0);
      ConfigBounds.atLeast("async_min_prompt_chars", asyncMinPromptChars, 1);
      ConfigBounds.atLeast("async_min_max_tokens", asyncMinMaxTokens, 1);
      ConfigBounds.required("sync_tiers", syncTiers);
      for (String tier : syncTiers) {
        // a tier no request can name would never route anything sync, silently
        if (!USER_TIERS.contains(tier)) {
          throw new IllegalArgumentException(
              "sync_tiers: unknown tier '" + tier + "' (known: " + USER_TIERS + ")");
        }
      }
      ConfigBounds.required("stream_url", streamUrl);
      ConfigBounds.required("chat_url", chatUrl);
      if (!HYBRID_FALLBACKS.contains(fallback)) {
        throw new IllegalArgumentException(
            "fallback must be one of " + HYBRID_FALLBACKS + ", got '" + fallback + "'");
      }
    }
  }

  /**
   * Server-Sent Events: how long a finished stream stays resumable, how often a comment heartbeat
   * is sent while the model is silent, and the {@code retry:} reconnection advice (all simulated).
   */
  public record Sse(Duration retention, Duration heartbeatInterval, Duration retry) {
    public Sse {
      ConfigBounds.notNegative("retention", retention);
      ConfigBounds.positive("heartbeat_interval", heartbeatInterval);
      ConfigBounds.notNegative("retry", retry);
    }
  }

  /** WebSocket API limits, as the platform enforces them (simulated time). */
  public record Websocket(
      Duration idleTimeout, Duration maxConnectionDuration, int maxMessageBytes) {
    public Websocket {
      ConfigBounds.positive("idle_timeout", idleTimeout);
      ConfigBounds.positive("max_connection_duration", maxConnectionDuration);
      ConfigBounds.atLeast("max_message_bytes", maxMessageBytes, 1);
    }
  }
}
