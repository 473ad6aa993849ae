package io.promptway.runtime.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.runtime.config.RuntimeConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiKeyRegistryTest {

  @Test
  void readsKeysFromTheConfigAndTheEnvironment() {
    var config =
        new RuntimeConfig.ApiKeys(
            true,
            "PROMPTWAY_API_KEYS",
            List.of(
                new RuntimeConfig.ApiKey("ci", null, "CI_KEY", "gold"),
                new RuntimeConfig.ApiKey("local", "local-secret-1", null, null)));
    var keys =
        ApiKeyRegistry.from(
            config,
            Map.of(
                "CI_KEY",
                "ci-secret",
                "PROMPTWAY_API_KEYS",
                "web:web-secret:silver, cli:cli-secret"));
    assertEquals(new ApiClient("ci", "gold"), keys.lookup("ci-secret").orElseThrow());
    assertEquals(new ApiClient("local", null), keys.lookup("local-secret-1").orElseThrow());
    assertEquals(new ApiClient("web", "silver"), keys.lookup("web-secret").orElseThrow());
    assertEquals(new ApiClient("cli", null), keys.lookup("cli-secret").orElseThrow());
    assertTrue(keys.lookup("ci-secreT").isEmpty());
    assertTrue(keys.lookup("").isEmpty());
    assertTrue(keys.required());
  }

  @Test
  void requiringKeysWithoutAnyIsAStartUpError() {
    var config = new RuntimeConfig.ApiKeys(true, "PROMPTWAY_API_KEYS", List.of());
    var e =
        assertThrows(IllegalArgumentException.class, () -> ApiKeyRegistry.from(config, Map.of()));
    assertTrue(e.getMessage().contains("PROMPTWAY_API_KEYS"));
  }

  @Test
  void aMalformedEnvironmentEntryNamesTheVariableButNotTheKey() {
    var config = new RuntimeConfig.ApiKeys(false, "PROMPTWAY_API_KEYS", List.of());
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ApiKeyRegistry.from(config, Map.of("PROMPTWAY_API_KEYS", "justasecretvalue")));
    assertTrue(e.getMessage().contains("PROMPTWAY_API_KEYS"));
  }

  @Test
  void theConfigRecordNeverPrintsTheKey() {
    var k = new RuntimeConfig.ApiKey("ci", "super-secret-value", null, null);
    assertFalse(k.toString().contains("super-secret-value"));
    assertFalse(
        new RuntimeConfig.ApiKeys(false, "X", List.of(k))
            .toString()
            .contains("super-secret-value"));
  }
}
