package io.promptway.runtime.gateway;

import io.promptway.runtime.config.RuntimeConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway's API keys (the {@code x-api-key} header): keys from the config and from an
 * environment variable, held only as SHA-256 digests so the plain keys never sit in memory longer
 * than start-up and cannot be logged. Models API Gateway's key check; it does not model key
 * rotation or per-method key requirements.
 */
public final class ApiKeyRegistry {
  private final boolean required;
  private final Map<String, ApiClient> byDigest;

  private ApiKeyRegistry(boolean required, Map<String, ApiClient> byDigest) {
    this.required = required;
    this.byDigest = Map.copyOf(byDigest);
  }

  /**
   * @param env the process environment (passed in so tests can supply their own)
   */
  public static ApiKeyRegistry from(RuntimeConfig.ApiKeys config, Map<String, String> env) {
    Map<String, ApiClient> keys = new HashMap<>();
    for (RuntimeConfig.ApiKey k : config.keys()) {
      if (k.name() == null || k.name().isBlank()) {
        throw new IllegalArgumentException("gateway.api_keys.keys: every key needs a name");
      }
      String value = k.key();
      if ((value == null || value.isEmpty()) && k.keyEnv() != null && !k.keyEnv().isBlank()) {
        value = env.get(k.keyEnv());
      }
      if (value == null || value.isEmpty()) {
        throw new IllegalArgumentException(
            "gateway.api_keys.keys: key '" + k.name() + "' has no key (set key or key_env)");
      }
      add(keys, value, new ApiClient(k.name(), blankToNull(k.plan())));
    }
    String fromEnv = config.env() == null ? null : env.get(config.env());
    if (fromEnv != null && !fromEnv.isBlank()) {
      for (String entry : fromEnv.split(",")) {
        String[] parts = entry.trim().split(":", 3);
        if (parts.length < 2 || parts[0].isBlank() || parts[1].isBlank()) {
          throw new IllegalArgumentException(
              config.env()
                  + ": each entry must be name:key[:plan] (entry "
                  + parts[0]
                  + " is not)");
        }
        add(
            keys,
            parts[1],
            new ApiClient(parts[0], parts.length == 3 ? blankToNull(parts[2]) : null));
      }
    }
    if (config.required() && keys.isEmpty()) {
      throw new IllegalArgumentException(
          "gateway.api_keys.required is true but no keys are configured (keys or "
              + config.env()
              + ")");
    }
    return new ApiKeyRegistry(config.required(), keys);
  }

  public static ApiKeyRegistry none() {
    return new ApiKeyRegistry(false, Map.of());
  }

  public boolean required() {
    return required;
  }

  /** Each key name's plan (null for none), to check the plans exist at start-up. */
  public Map<String, String> plans() {
    Map<String, String> out = new HashMap<>();
    for (ApiClient c : byDigest.values()) if (c.plan() != null) out.put(c.name(), c.plan());
    return out;
  }

  public int size() {
    return byDigest.size();
  }

  /** The caller a key belongs to, or empty for an unknown key. */
  public Optional<ApiClient> lookup(String key) {
    if (key == null || key.isEmpty() || byDigest.isEmpty()) return Optional.empty();
    return Optional.ofNullable(byDigest.get(digest(key)));
  }

  private static void add(Map<String, ApiClient> keys, String key, ApiClient client) {
    ApiClient previous = keys.put(digest(key), client);
    if (previous != null && !previous.name().equals(client.name())) {
      throw new IllegalArgumentException(
          "API keys '" + previous.name() + "' and '" + client.name() + "' have the same key");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static String digest(String key) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
