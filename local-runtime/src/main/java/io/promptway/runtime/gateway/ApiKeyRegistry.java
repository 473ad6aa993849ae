package io.promptway.runtime.gateway;

import io.promptway.runtime.config.RuntimeConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

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
   * @param usagePlans the plans {@code gateway.usage_plans} defines, which the environment's
   *     entries are checked against (the config's keys are checked where the throttle is built)
   */
  public static ApiKeyRegistry from(
      RuntimeConfig.ApiKeys config, Map<String, String> env, Set<String> usagePlans) {
    Map<String, ApiClient> keys = new HashMap<>();
    Map<String, String> names = new HashMap<>(); // key name -> where it was defined
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
      uniqueName(names, k.name(), "gateway.api_keys.keys");
      add(keys, value, new ApiClient(k.name(), blankToNull(k.plan())));
    }
    String fromEnv = config.env() == null ? null : env.get(config.env());
    if (fromEnv != null && !fromEnv.isBlank()) {
      String[] entries = fromEnv.split(",");
      for (int i = 0; i < entries.length; i++) {
        // the entry's text may be a key: messages name its position, never its text
        String where = config.env() + " entry " + (i + 1) + " of " + entries.length;
        String[] parts = entries[i].trim().split(":", 3);
        String missing =
            parts.length < 2
                ? "has no ':' between name and key"
                : parts[0].isBlank() ? "has no name" : parts[1].isBlank() ? "has no key" : null;
        if (missing != null) {
          throw new IllegalArgumentException(
              where + " " + missing + " (each entry must be name:key[:plan])");
        }
        String plan = parts.length == 3 ? blankToNull(parts[2]) : null;
        if (plan != null && !usagePlans.contains(plan)) {
          throw new IllegalArgumentException(
              where
                  + " names a usage plan that is not in gateway.usage_plans "
                  + new TreeSet<>(usagePlans));
        }
        uniqueName(names, parts[0].trim(), where);
        add(keys, parts[1], new ApiClient(parts[0].trim(), plan));
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

  // two keys of one name would share one caller's limits, quota and budget, under one plan
  private static void uniqueName(Map<String, String> names, String name, String where) {
    String first = names.putIfAbsent(name, where);
    if (first != null) {
      throw new IllegalArgumentException(
          "API key name '"
              + name
              + "' is used by two keys ("
              + first
              + " and "
              + where
              + "): each key needs a name of its own");
    }
  }

  public static ApiKeyRegistry none() {
    return new ApiKeyRegistry(false, Map.of());
  }

  public boolean required() {
    return required;
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
