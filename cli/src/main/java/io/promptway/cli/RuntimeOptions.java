package io.promptway.cli;

import io.promptway.runtime.config.ConfigLoader;
import io.promptway.runtime.config.RuntimeConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options shared by every command that starts the runtime; flags override the config file. */
public final class RuntimeOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML file overriding the defaults.")
  Path config;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      description = "Address to bind. Default: 127.0.0.1.")
  String host;

  @Option(
      names = "--db",
      paramLabel = "PATH",
      description = "H2 file database path (without .mv.db).")
  String db;

  @Option(
      names = "--jdbc-url",
      paramLabel = "URL",
      description = "JDBC URL of the state database; wins over --db.")
  String jdbcUrl;

  @Option(
      names = "--time-scale",
      paramLabel = "N",
      description = "Simulated seconds per real second. Default: 1.")
  Double timeScale;

  @Option(
      names = "--env",
      paramLabel = "ENV",
      description = "development (error details shown) or production. Default: development.")
  String environment;

  @Option(
      names = "--upstream",
      paramLabel = "URL",
      description =
          "Forward /llm/v1 to a real OpenAI-compatible server; its API key is read from $PROMPTWAY_UPSTREAM_API_KEY.")
  String upstream;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Seed of the emulated model. Default: 42.")
  Long seed;

  /**
   * The config file with {@code extra} keys and then these flags over it; {@code port} (the
   * command's own {@code --port}, whose meaning differs between serve and chat) when not null.
   */
  public RuntimeConfig load(Map<String, Object> extra, Integer port) {
    Map<String, Object> o = new LinkedHashMap<>(extra);
    Map<String, String> flags = new LinkedHashMap<>();
    if (port != null) {
      if (port < 0 || port > 65535)
        throw new IllegalArgumentException("--port must be 0-65535, got " + port);
      set(o, flags, "--port", "server.port", port);
    }
    if (host != null) set(o, flags, "--host", "server.host", host);
    if (db != null) set(o, flags, "--db", "state.db_path", db);
    if (jdbcUrl != null) set(o, flags, "--jdbc-url", "state.jdbc_url", jdbcUrl);
    if (timeScale != null) set(o, flags, "--time-scale", "time_scale", checkedTimeScale(timeScale));
    if (environment != null) set(o, flags, "--env", "environment", environmentName(environment));
    if (upstream != null) set(o, flags, "--upstream", "llm.upstream", upstream);
    if (seed != null) set(o, flags, "--seed", "seed", seed);
    return new ConfigLoader().load(config, o, flags);
  }

  /** Overrides {@code key} with a flag's value, remembering the flag for problems to name. */
  private static void set(
      Map<String, Object> overrides,
      Map<String, String> flags,
      String flag,
      String key,
      Object value) {
    overrides.put(key, value);
    flags.put(key, flag);
  }

  /** The {@code --time-scale} given, or null. */
  public Double timeScale() {
    return timeScale;
  }

  /** A {@code --time-scale} flag's value, refused naming the flag unless the runtime allows it. */
  public static double checkedTimeScale(double value) {
    RuntimeConfig.checkTimeScale("--time-scale", value);
    return value;
  }

  private static String environmentName(String value) {
    List<String> known =
        Arrays.stream(RuntimeConfig.Environment.values())
            .map(e -> e.name().toLowerCase(Locale.ROOT))
            .toList();
    String name = value.toLowerCase(Locale.ROOT);
    if (!known.contains(name))
      throw ExitCodes.Failure.unknown("--env", "environment", value, known);
    return name;
  }
}
