package io.promptway.scenarios.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.scenarios.workload.ArrivalSchedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Reads and validates a scenario file. Every problem is collected (not just the first) and names
 * the file, line and column of the offending value, taken from the YAML parser's token locations.
 * The accepted shape is documented in {@code scenario.schema.json}.
 */
public final class ScenarioReader {
  private static final Set<String> TOP =
      Set.of(
          "name",
          "description",
          "use_case",
          "seed",
          "time_scale",
          "load",
          "mix",
          "llm",
          "deployment",
          "patterns",
          "client",
          "assertions");

  private static final String MAX_TOKENS_TEXT = "1,000,000";
  private static final Set<String> STAGE_KEYS =
      Set.of("type", "rate", "to_rate", "peak_rate", "duration", "every", "length");
  private static final List<String> TIERS = List.of("free", "standard", "premium", "enterprise");

  private final SortedSet<String> knownModels;
  private final RuntimeRules runtime;
  private LocatedYaml yaml;
  private final List<ScenarioException.Problem> problems = new ArrayList<>();

  /** Each {@code deployment.runtime} key, dotted, with the JSON pointer of where it is written. */
  private final Map<String, String> runtimeKeys = new LinkedHashMap<>();

  public static Scenario read(Path file) {
    String text;
    try {
      if (Files.isDirectory(file))
        throw new ScenarioException(file.toString(), "is a folder, not a scenario file");
      if (!Files.isRegularFile(file))
        throw new ScenarioException(file.toString(), "no such scenario file");
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ScenarioException(file.toString(), "cannot read: " + e.getMessage());
    }
    return parse(file.toString(), text);
  }

  public static Scenario parse(String file, String text) {
    return new ScenarioReader(null, null).build(LocatedYaml.parse(file, text));
  }

  /**
   * As {@link #parse(String, String)}, and {@code llm.model} must be one of {@code knownModels}
   * (the runtime's), unless the scenario defines it: a {@code ttft} in its {@code llm} profile or
   * {@code llm.models.<model>} keys under {@code deployment.runtime}.
   */
  public static Scenario parse(String file, String text, Set<String> knownModels) {
    return new ScenarioReader(new TreeSet<>(knownModels), null)
        .build(LocatedYaml.parse(file, text));
  }

  /**
   * As {@link #parse(String, String, Set)} with the runtime's models, and the runtime the scenario
   * configures must accept its settings: each one it refuses is a problem where it is written.
   */
  public static Scenario parse(String file, String text, RuntimeRules runtime) {
    return new ScenarioReader(new TreeSet<>(runtime.knownModels()), runtime)
        .build(LocatedYaml.parse(file, text));
  }

  private ScenarioReader(SortedSet<String> knownModels, RuntimeRules runtime) {
    this.knownModels = knownModels;
    this.runtime = runtime;
  }

  private Scenario build(LocatedYaml doc) {
    this.yaml = doc;
    problems.addAll(doc.duplicateKeys());
    JsonNode root = doc.root();
    if (!root.isObject()) {
      fail("", "a scenario must be a mapping with at least name, load and mix");
      throw new ScenarioException(problems);
    }
    knownKeys(root, "", TOP);
    String name = text(root, "", "name", null);
    String description = text(root, "", "description", "");
    String useCase = text(root, "", "use_case", "");
    long seed = seed(root.get("seed"));
    double timeScale = number(root, "", "time_scale", 1, true);
    if (timeScale > 0
        && !(timeScale >= Scenario.MIN_TIME_SCALE && timeScale <= Scenario.MAX_TIME_SCALE))
      fail(
          "/time_scale",
          "time_scale must be within "
              + fmt(Scenario.MIN_TIME_SCALE)
              + ".."
              + fmt(Scenario.MAX_TIME_SCALE)
              + ", got "
              + fmt(timeScale));
    int before = problems.size();
    List<Scenario.Stage> stages = stages(root.path("load"), "/load");
    if (problems.size() == before) plannable(stages);
    if (problems.size() == before) sendsSomething(stages, seed);
    boolean loadPlannable = problems.size() == before;
    before = problems.size();
    List<Scenario.RequestClass> mix = mix(root.get("mix"), "/mix");
    if (loadPlannable && problems.size() == before) fitsInMemory(stages, mix, root.path("mix"));
    Scenario.LlmProfile llm = llm(root.path("llm"), "/llm");
    Scenario.Deployment deployment = deployment(root.path("deployment"), "/deployment");
    if (knownModels != null) knownModel(llm, deployment);
    List<String> patterns = patterns(root.get("patterns"), "/patterns");
    JsonNode client = root.path("client");
    knownKeys(client, "/client", Set.of("timeout"));
    double clientTimeout = duration(client, "/client", "timeout", 900_000, true);
    List<String> assertions = assertions(root.get("assertions"), "/assertions");
    if (name == null) fail("/name", "name is required");
    else if (name.isBlank()) fail("/name", "name must not be empty: it names the result files");
    if (!useCase.isEmpty() && !Scenario.USE_CASES.contains(useCase)) {
      fail(
          "/use_case",
          "unknown use_case '"
              + useCase
              + "' (known: "
              + String.join(", ", Scenario.USE_CASES)
              + ")");
    }
    Scenario scenario =
        new Scenario(
            name,
            description,
            useCase,
            seed,
            timeScale,
            stages,
            mix,
            llm,
            deployment,
            patterns,
            clientTimeout,
            assertions,
            doc.file());
    notOwnedByTheScenario(scenario);
    if (problems.isEmpty() && runtime != null) acceptedByTheRuntime(scenario);
    if (!problems.isEmpty()) throw new ScenarioException(problems);
    return scenario;
  }

  /**
   * Each setting the runtime refuses, where the scenario writes it: a {@code deployment.runtime}
   * key, else the scenario's own field that sets it.
   */
  private void acceptedByTheRuntime(Scenario scenario) {
    Map<String, String> owned = scenario.ownedRuntimeKeys();
    for (RuntimeRules.Refusal r : runtime.refuses(scenario.runtimeOverrides())) {
      String pointer;
      if (runtimeKeys.containsKey(r.key())) pointer = runtimeKeys.get(r.key()) + "#key";
      else if (owned.containsKey(r.key())) pointer = "/" + owned.get(r.key()).replace('.', '/');
      else pointer = "/deployment/runtime#key";
      fail(pointer, "the runtime refuses this setting: " + r.message());
    }
  }

  /**
   * Refuses a {@code deployment.runtime} key that would silently override (or be overridden by) a
   * setting the scenario makes through a field of its own, such as {@code time_scale}.
   */
  private void notOwnedByTheScenario(Scenario scenario) {
    Map<String, String> owned = scenario.ownedRuntimeKeys();
    runtimeKeys.forEach(
        (key, pointer) -> {
          for (Map.Entry<String, String> o : owned.entrySet()) {
            String ownedKey = o.getKey();
            if (key.equals(ownedKey)
                || key.startsWith(ownedKey + ".")
                || ownedKey.startsWith(key + ".")) {
              fail(
                  pointer + "#key",
                  "deployment.runtime key '"
                      + key
                      + "' sets "
                      + ownedKey
                      + ", which the scenario sets through its own field "
                      + o.getValue()
                      + ": write it there instead");
              return;
            }
          }
        });
  }

  private List<Scenario.Stage> stages(JsonNode load, String at) {
    knownKeys(load, at, Set.of("stages"));
    JsonNode list = load.get("stages");
    List<Scenario.Stage> stages = new ArrayList<>();
    if (list == null || !list.isArray() || list.isEmpty()) {
      fail(at + (list == null ? "" : "/stages"), "load.stages is required: a list of stages");
      return stages;
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode s = list.get(i);
      String p = at + "/stages/" + i;
      knownKeys(s, p, STAGE_KEYS);
      String type = text(s, p, "type", null);
      if (type == null) {
        fail(p, "stage type is required (one of " + Scenario.STAGE_TYPES + ")");
        continue;
      }
      if (!Scenario.STAGE_TYPES.contains(type)) {
        fail(
            p + "/type", "unknown stage type '" + type + "' (known: " + Scenario.STAGE_TYPES + ")");
        continue;
      }
      unusedStageKeys(s, p, type);
      boolean mayStartAtZero = type.equals("ramp") || type.equals("burst");
      double rate =
          mayStartAtZero
              ? nonNegative(s, p, "rate", Double.NaN)
              : number(s, p, "rate", Double.NaN, true);
      double duration = duration(s, p, "duration", Double.NaN, true);
      if (absent(s, "rate")) fail(p, "rate is required for a " + type + " stage");
      if (absent(s, "duration")) fail(p, "duration is required, e.g. duration: 5m");
      double toRate = type.equals("ramp") ? nonNegative(s, p, "to_rate", Double.NaN) : 0;
      if (type.equals("ramp") && absent(s, "to_rate"))
        fail(p, "to_rate is required for a ramp stage");
      double peak = 0, every = 0, length = 0;
      if (type.equals("burst")) {
        peak = number(s, p, "peak_rate", Double.NaN, true);
        every = duration(s, p, "every", duration, true);
        length = duration(s, p, "length", Double.NaN, true);
        if (absent(s, "peak_rate")) fail(p, "peak_rate is required for a burst stage");
        else if (peak < rate) {
          fail(
              p + "/peak_rate",
              "peak_rate ("
                  + fmt(peak)
                  + ") must be at least rate ("
                  + fmt(rate)
                  + "): it is the rate inside a burst");
        }
        if (absent(s, "length")) fail(p, "length (how long each burst lasts) is required");
        else if (length > every) {
          fail(
              p + "/length",
              "length ("
                  + Durations.format(length)
                  + ") must be at most every ("
                  + Durations.format(every)
                  + ")");
        }
      }
      if (type.equals("ramp") && rate == 0 && toRate == 0)
        fail(p, "a ramp needs a positive rate or to_rate");
      stages.add(new Scenario.Stage(type, rate, toRate, peak, duration, every, length));
    }
    return stages;
  }

  /** A key of another stage type would be silently ignored, so it is refused naming the type. */
  private void unusedStageKeys(JsonNode stage, String at, String type) {
    Set<String> used =
        switch (type) {
          case "ramp" -> Set.of("type", "rate", "to_rate", "duration");
          case "burst" -> Set.of("type", "rate", "peak_rate", "every", "length", "duration");
          default -> Set.of("type", "rate", "duration");
        };
    Iterator<String> names = stage.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!used.contains(name) && STAGE_KEYS.contains(name)) {
        fail(
            at + "/" + name + "#key",
            "a "
                + type
                + " stage does not use '"
                + name
                + "' (it uses "
                + new TreeSet<>(used)
                + ")");
      }
    }
  }

  /** Refuses a load too large to plan, before planning it would run out of memory or time. */
  private void plannable(List<Scenario.Stage> stages) {
    double total = 0;
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < stages.size(); i++) {
      LoadSize size = LoadSize.of(stages.get(i));
      total += size.requests();
      parts.add("stage " + (i + 1) + ": " + count(size.requests()));
      Scenario.Stage s = stages.get(i);
      if (size.draws() > LoadSize.MAX_DRAWS && size.requests() <= LoadSize.MAX_REQUESTS) {
        fail(
            "/load/stages/" + i,
            "a "
                + s.type()
                + " stage at up to "
                + fmt(s.maxRate())
                + "/s for "
                + Durations.format(s.durationMs())
                + " takes "
                + about(size.draws())
                + " random draws to plan (arrivals are drawn at the highest rate and thinned); at"
                + " most "
                + count(LoadSize.MAX_DRAWS)
                + ": shorten the stage or lower its peak");
      }
    }
    if (total > LoadSize.MAX_REQUESTS) {
      fail(
          stages.size() == 1 ? "/load/stages/0" : "/load/stages",
          "load: "
              + about(total)
              + " requests per pattern"
              + (stages.size() > 1 ? " (" + String.join("; ", parts) + ")" : "")
              + "; at most "
              + count(LoadSize.MAX_REQUESTS)
              + " can be planned: shorten the stages or lower their rates");
    }
  }

  /**
   * Refuses a plan whose prompts would not fit in memory: every prompt is planned before the run,
   * so long prompts allow fewer requests. Named at the class that weighs most.
   */
  private void fitsInMemory(
      List<Scenario.Stage> stages, List<Scenario.RequestClass> mix, JsonNode mixNode) {
    double requests = stages.stream().mapToDouble(s -> LoadSize.of(s).requests()).sum();
    double weights = mix.stream().mapToDouble(Scenario.RequestClass::weight).sum();
    double bytes = 0, heaviest = -1;
    int at = 0;
    for (int i = 0; i < mix.size(); i++) {
      double share = mix.get(i).weight() / weights * LoadSize.bytesPerRequest(mix.get(i));
      bytes += share * requests;
      if (share > heaviest) {
        heaviest = share;
        at = i;
      }
    }
    if (bytes <= LoadSize.MAX_PLAN_BYTES) return;
    Scenario.RequestClass c = mix.get(at);
    fail(
        "/mix/" + at + (mixNode.path(at).has("prompt_tokens") ? "/prompt_tokens" : ""),
        "mix class '"
            + c.name()
            + "': its prompts of about "
            + count(LoadSize.meanTokens(c.promptTokens()))
            + " tokens on average, with the load's "
            + about(requests)
            + " requests per pattern, take "
            + about(bytes / 1e6)
            + " MB of memory to plan; at most "
            + count(LoadSize.MAX_PLAN_BYTES / 1e6)
            + " MB: shorten the prompts or the load");
  }

  /** Refuses a load whose schedule has no request: the run would send nothing and pass. */
  private void sendsSomething(List<Scenario.Stage> stages, long seed) {
    if (ArrivalSchedule.count(stages, seed) > 0) return;
    List<String> parts = new ArrayList<>();
    for (Scenario.Stage s : stages) {
      parts.add(
          "a "
              + s.type()
              + " stage at "
              + fmt(s.rate())
              + "/s for "
              + Durations.format(s.durationMs()));
    }
    fail(
        stages.size() == 1 ? "/load/stages/0" : "/load/stages",
        "load: "
            + String.join(", ", parts)
            + " plans no request at all (with seed "
            + seed
            + "): lengthen the stages or raise their rates");
  }

  private static String count(double n) {
    return String.format(Locale.ROOT, "%,.0f", n);
  }

  /** "about N", or a bound past which a double's digits are noise (and Infinity is no count). */
  private static String about(double n) {
    return n < 1e15 ? "about " + count(n) : "more than 1,000,000,000,000,000";
  }

  private List<Scenario.RequestClass> mix(JsonNode list, String at) {
    List<Scenario.RequestClass> mix = new ArrayList<>();
    if (list == null || !list.isArray() || list.isEmpty()) {
      fail(at, "mix is required: a list of request classes with weights");
      return mix;
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode c = list.get(i);
      String p = at + "/" + i;
      knownKeys(
          c,
          p,
          Set.of(
              "name",
              "weight",
              "prompt_tokens",
              "output_tokens",
              "interactive",
              "user_tier",
              "priority",
              "callback",
              "poll_interval",
              "callback_failure_rate"));
      String name = text(c, p, "name", "class-" + i);
      if (mix.stream().anyMatch(other -> other.name().equals(name))) {
        fail(
            p + (c.has("name") ? "/name" : ""),
            "mix class '" + name + "' is named twice: results by class would be ambiguous");
      }
      double weight = number(c, p, "weight", 1, true);
      Scenario.TokenRange prompt = tokens(c, p, "prompt_tokens", new Scenario.TokenRange(100, 300));
      Scenario.TokenRange output = tokens(c, p, "output_tokens", new Scenario.TokenRange(250, 800));
      boolean interactive = bool(c, p, "interactive", true);
      String tier = text(c, p, "user_tier", "standard");
      if (!TIERS.contains(tier))
        fail(p + "/user_tier", "user_tier must be one of " + TIERS + ", got '" + tier + "'");
      double priority = number(c, p, "priority", 5, false);
      if (priority < 0 || priority > 10 || priority != Math.rint(priority)) {
        fail(p + "/priority", "priority must be a whole number from 0 to 10, got " + fmt(priority));
      }
      String callback = text(c, p, "callback", "webhook");
      if (!Set.of("webhook", "poll").contains(callback)) {
        fail(p + "/callback", "callback must be webhook or poll, got '" + callback + "'");
      }
      double poll = duration(c, p, "poll_interval", 2000, true);
      double failure = number(c, p, "callback_failure_rate", 0, false);
      if (failure < 0 || failure > 1) {
        fail(
            p + "/callback_failure_rate",
            "callback_failure_rate must be within [0, 1], got " + fmt(failure));
      }
      mix.add(
          new Scenario.RequestClass(
              name,
              weight,
              prompt,
              output,
              interactive,
              tier,
              (int) priority,
              callback,
              poll,
              failure));
    }
    return mix;
  }

  private Scenario.LlmProfile llm(JsonNode llm, String at) {
    knownKeys(llm, at, Set.of("model", "ttft", "inter_token", "output_tokens", "faults"));
    String model = text(llm, at, "model", "gpt-4o-mini");
    if (model.contains(".")) {
      fail(
          at + "/model",
          "model names with a dot cannot be configured by the runtime's dotted keys: '"
              + model
              + "'");
    }
    Scenario.LatencyRange ttft = latency(llm, at, "ttft");
    Scenario.LatencyRange itl = latency(llm, at, "inter_token");
    Scenario.TokenRange output =
        llm.has("output_tokens") ? tokens(llm, at, "output_tokens", null) : null;
    Scenario.Faults faults = null;
    if (llm.has("faults")) {
      JsonNode f = llm.get("faults");
      String p = at + "/faults";
      knownKeys(
          f, p, Set.of("rate_limited", "server_error", "unavailable", "stall", "stream_drop"));
      faults =
          new Scenario.Faults(
              probability(f, p, "rate_limited"),
              probability(f, p, "server_error"),
              probability(f, p, "unavailable"),
              probability(f, p, "stall"),
              probability(f, p, "stream_drop"));
    }
    return new Scenario.LlmProfile(model, ttft, itl, output, faults);
  }

  private void knownModel(Scenario.LlmProfile llm, Scenario.Deployment deployment) {
    String model = llm.model();
    String configured = "llm.models." + model;
    boolean defined =
        llm.ttft() != null
            || deployment.runtime().keySet().stream()
                .anyMatch(k -> k.equals(configured) || k.startsWith(configured + "."));
    if (!defined && !knownModels.contains(model)) {
      fail(
          "/llm/model",
          "unknown model '" + model + "' (known: " + String.join(", ", knownModels) + ")");
    }
  }

  private Scenario.Deployment deployment(JsonNode d, String at) {
    knownKeys(
        d,
        at,
        Set.of(
            "function_memory_mb",
            "api_type",
            "integration_timeout",
            "function_concurrency",
            "runtime"));
    double memory = number(d, at, "function_memory_mb", 1024, true);
    if (memory < 128 || memory > 10240) {
      fail(
          at + "/function_memory_mb",
          "function_memory_mb must be within 128..10240, got " + fmt(memory));
    }
    String api = text(d, at, "api_type", "rest");
    if (!Set.of("rest", "http").contains(api))
      fail(at + "/api_type", "api_type must be rest or http, got '" + api + "'");
    double timeout =
        duration(d, at, "integration_timeout", api.equals("http") ? 30_000 : 29_000, true);
    if (api.equals("http") && timeout > 30_000) {
      fail(
          at + "/integration_timeout",
          "an http API's integration timeout is at most 30s, got " + Durations.format(timeout));
    }
    Integer concurrency = null;
    if (d.has("function_concurrency"))
      concurrency = (int) number(d, at, "function_concurrency", 1000, true);
    Map<String, Object> runtime = new LinkedHashMap<>();
    JsonNode extra = d.get("runtime");
    if (extra != null) {
      if (!extra.isObject())
        fail(at + "/runtime", "runtime must be a mapping of dotted config keys to values");
      else flatten(extra, "", at + "/runtime", runtime);
    }
    return new Scenario.Deployment((int) memory, api, timeout, concurrency, runtime);
  }

  /**
   * Reads a nested mapping under {@code deployment.runtime} as the dotted keys of its leaves, so
   * {@code gateway: {throttle: {steady_rps: 5}}} sets {@code gateway.throttle.steady_rps} and not
   * the whole gateway block. {@code prices} is kept whole: its keys are names with dots in them.
   */
  private void flatten(JsonNode mapping, String prefix, String at, Map<String, Object> runtime) {
    mapping
        .fields()
        .forEachRemaining(
            e -> {
              String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
              String pointer = at + "/" + escape(e.getKey());
              JsonNode value = e.getValue();
              boolean prices = key.equals("prices") || key.startsWith("prices.");
              if (value.isObject() && !prices) {
                flatten(value, key, pointer, runtime);
              } else if (runtimeKeys.containsKey(key)) {
                fail(
                    pointer + "#key",
                    "deployment.runtime sets '"
                        + key
                        + "' twice (first at line "
                        + yaml.locationOf(runtimeKeys.get(key) + "#key").line()
                        + ")");
              } else {
                runtime.put(key, plain(value));
                runtimeKeys.put(key, pointer);
              }
            });
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private static Object plain(JsonNode n) {
    if (n.isNumber()) return n.numberValue();
    if (n.isBoolean()) return n.booleanValue();
    if (n.isTextual()) return n.textValue();
    return n;
  }

  private List<String> patterns(JsonNode list, String at) {
    if (list == null) return Scenario.KNOWN_PATTERNS;
    List<String> out = new ArrayList<>();
    if (!list.isArray() || list.isEmpty()) {
      fail(at, "patterns must be a non-empty list, e.g. [sync, sse, websocket]");
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      String p = list.get(i).asText();
      if (!Scenario.KNOWN_PATTERNS.contains(p)) {
        fail(at + "/" + i, "unknown pattern '" + p + "' (known: " + Scenario.KNOWN_PATTERNS + ")");
      } else if (out.contains(p)) {
        fail(at + "/" + i, "pattern '" + p + "' is listed twice");
      } else out.add(p);
    }
    return out;
  }

  private List<String> assertions(JsonNode list, String at) {
    List<String> out = new ArrayList<>();
    if (list == null) return out;
    if (!list.isArray()) {
      fail(at, "assertions must be a list, e.g. ['sse.ttft.p95 < 1s']");
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      try {
        out.add(Assertion.parse(list.get(i).asText()).text());
      } catch (IllegalArgumentException e) {
        fail(at + "/" + i, e.getMessage());
      }
    }
    return out;
  }

  private Scenario.TokenRange tokens(
      JsonNode parent, String at, String field, Scenario.TokenRange dflt) {
    JsonNode n = parent.get(field);
    String p = at + "/" + field;
    if (n == null) return dflt;
    if (n.isNumber()) {
      int v = tokenCount(n, p, field);
      return v > 0 ? new Scenario.TokenRange(v, v) : dflt;
    }
    if (!n.isObject()) {
      fail(p, field + " must be a number or {median, p95}");
      return dflt;
    }
    knownKeys(n, p, Set.of("median", "p95"));
    if (absent(n, "median")) {
      fail(p, field + ".median is required");
      return dflt;
    }
    int median = tokenCount(n.get("median"), p + "/median", field + ".median");
    int p95 = absent(n, "p95") ? median : tokenCount(n.get("p95"), p + "/p95", field + ".p95");
    if (median < 1 || p95 < 1) return dflt;
    if (p95 < median) {
      fail(p + "/p95", field + ".p95 (" + p95 + ") must not be below the median (" + median + ")");
      return dflt;
    }
    return new Scenario.TokenRange(median, p95);
  }

  /** A whole number of tokens within 1..MAX_TOKENS, or 0 once its problem is reported. */
  private int tokenCount(JsonNode n, String p, String label) {
    if (!n.isNumber()) {
      fail(p, label + " must be a number, got '" + n.asText() + "'");
      return 0;
    }
    double v = n.asDouble();
    if (v < 1 || v > Scenario.MAX_TOKENS || v != Math.rint(v)) {
      fail(p, label + " must be a whole number from 1 to " + MAX_TOKENS_TEXT + ", got " + fmt(v));
      return 0;
    }
    return (int) v;
  }

  private Scenario.LatencyRange latency(JsonNode parent, String at, String field) {
    JsonNode n = parent.get(field);
    String p = at + "/" + field;
    if (n == null) return null;
    if (!n.isObject()) {
      double v = duration(parent, at, field, 0, false);
      return new Scenario.LatencyRange(v, v);
    }
    knownKeys(n, p, Set.of("median", "p95"));
    if (absent(n, "median")) {
      fail(p, field + ".median is required");
      return null;
    }
    double median = duration(n, p, "median", Double.NaN, false);
    double p95 = duration(n, p, "p95", median, false);
    if (p95 < median) fail(p + "/p95", field + ".p95 must not be below the median");
    return new Scenario.LatencyRange(median, p95);
  }

  private double probability(JsonNode parent, String at, String field) {
    double v = number(parent, at, field, 0, false);
    if (v < 0 || v > 1)
      fail(at + "/" + field, field + " is a probability within [0, 1], got " + fmt(v));
    return v;
  }

  /**
   * A duration in ms ({@code dflt} when absent); NaN once its one problem is reported: not a
   * duration, negative, or, when {@code positive}, zero.
   */
  private double duration(JsonNode parent, String at, String field, double dflt, boolean positive) {
    JsonNode n = parent.get(field);
    if (absent(parent, field)) return dflt;
    double ms;
    if (n.isNumber()) ms = n.asDouble();
    else {
      try {
        ms = Durations.parseMs(n.asText());
      } catch (IllegalArgumentException e) {
        fail(at + "/" + field, field + ": " + e.getMessage());
        return Double.NaN;
      }
    }
    if (positive && ms <= 0) {
      fail(at + "/" + field, field + " must be positive, got " + n.asText());
      return Double.NaN;
    }
    if (ms < 0) {
      fail(at + "/" + field, field + " must not be negative, got " + n.asText());
      return Double.NaN;
    }
    return ms;
  }

  private static boolean absent(JsonNode parent, String field) {
    JsonNode n = parent.get(field);
    return n == null || n.isNull();
  }

  private double nonNegative(JsonNode parent, String at, String field, double dflt) {
    double v = number(parent, at, field, dflt, false);
    if (v < 0) fail(at + "/" + field, field + " must not be negative, got " + fmt(v));
    return v;
  }

  private double number(JsonNode parent, String at, String field, double dflt, boolean positive) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) return dflt;
    if (!n.isNumber()) {
      fail(at + "/" + field, field + " must be a number, got '" + n.asText() + "'");
      return Double.isNaN(dflt) ? 1 : dflt;
    }
    double v = n.asDouble();
    if (positive && v <= 0) fail(at + "/" + field, field + " must be positive, got " + fmt(v));
    return v;
  }

  private long seed(JsonNode n) {
    if (n == null || n.isNull()) return 42;
    if (n.isIntegralNumber() && n.canConvertToLong()) return n.asLong();
    fail("/seed", "seed must be a whole number within a 64-bit integer, got " + n.asText());
    return 42;
  }

  private boolean bool(JsonNode parent, String at, String field, boolean dflt) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) return dflt;
    if (!n.isBoolean())
      fail(at + "/" + field, field + " must be true or false, got '" + n.asText() + "'");
    return n.asBoolean(dflt);
  }

  private String text(JsonNode parent, String at, String field, String dflt) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) return dflt;
    if (!n.isValueNode()) {
      fail(at + "/" + field, field + " must be a text value");
      return dflt;
    }
    return n.asText();
  }

  private void knownKeys(JsonNode node, String at, Set<String> known) {
    if (node == null || node.isMissingNode() || node.isNull()) return;
    if (!node.isObject()) {
      fail(
          at,
          (at.isEmpty() ? "the document" : at.substring(at.lastIndexOf('/') + 1))
              + " must be a mapping");
      return;
    }
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        fail(
            at + "/" + name + "#key",
            "unknown key '" + name + "' (known: " + new TreeSet<>(known) + ")");
      }
    }
  }

  private void fail(String pointer, String message) {
    problems.add(new ScenarioException.Problem(pointer, message, yaml.locationOf(pointer)));
  }

  static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
