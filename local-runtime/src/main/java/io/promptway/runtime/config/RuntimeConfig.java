package io.promptway.runtime.config;

import io.promptway.runtime.llm.ModelProfile;
import java.time.Duration;
import java.util.Map;

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
    Map<String, Object> prices) {

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

  public record Server(String host, int port) {}

  /** Request state: a JDBC URL wins; otherwise an H2 file database at {@code dbPath}. */
  public record State(String jdbcUrl, String dbPath, Duration ttl, Duration cleanupInterval) {
    public String effectiveJdbcUrl() {
      if (jdbcUrl != null && !jdbcUrl.isBlank()) return jdbcUrl;
      return "jdbc:h2:file:"
          + java.nio.file.Path.of(dbPath).toAbsolutePath()
          + ";DB_CLOSE_DELAY=-1";
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
      double temperatureDefault) {}

  public record Function(int memoryMb, Duration maxDuration, int concurrencyLimit) {}

  public record Llm(
      String defaultModel,
      String upstream,
      String upstreamApiKeyEnv,
      Duration upstreamTimeout,
      Map<String, ModelProfile> models) {}
}
