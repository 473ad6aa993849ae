package io.promptway.runtime.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.runtime.config.RuntimeConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
                "web:web-secret:silver, cli:cli-secret"),
            Set.of("gold", "silver"));
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
        assertThrows(
            IllegalArgumentException.class, () -> ApiKeyRegistry.from(config, Map.of(), Set.of()));
    assertTrue(e.getMessage().contains("PROMPTWAY_API_KEYS"));
  }

  @Test
  void aMalformedEnvironmentEntryNamesTheVariableButNotTheKey() {
    var config = new RuntimeConfig.ApiKeys(false, "PROMPTWAY_API_KEYS", List.of());
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ApiKeyRegistry.from(
                    config, Map.of("PROMPTWAY_API_KEYS", "justasecretvalue"), Set.of()));
    assertTrue(e.getMessage().contains("PROMPTWAY_API_KEYS"));
  }

  @Test
  void aMalformedEnvironmentEntryIsNamedByItsPositionAndWhatItLacksNeverByItsText() {
    var config = new RuntimeConfig.ApiKeys(false, "PROMPTWAY_API_KEYS", List.of());
    Map<String, String> cases =
        Map.of(
            "ci:key-one,SECRET-NO-NAME-456", "entry 2 of 2 has no ':' between name and key",
            "ci:key-one,:SECRET-KEY-789", "entry 2 of 2 has no name",
            "SECRET-NAME-AS-KEY:,ci:key-one", "entry 1 of 2 has no key",
            "ci:SECRET-ab:SECRET-cd", "entry 1 of 1 names a usage plan that is not in");
    cases.forEach(
        (value, expected) -> {
          var e =
              assertThrows(
                  IllegalArgumentException.class,
                  () ->
                      ApiKeyRegistry.from(
                          config, Map.of("PROMPTWAY_API_KEYS", value), Set.of("gold")));
          assertTrue(e.getMessage().contains("PROMPTWAY_API_KEYS " + expected), e.getMessage());
          assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
        });
  }

  @Test
  void twoKeysOfOneNameAreRefusedNamingTheName() {
    var config =
        new RuntimeConfig.ApiKeys(
            false,
            "PROMPTWAY_API_KEYS",
            List.of(
                new RuntimeConfig.ApiKey("ci", "ci-secret-1", null, null),
                new RuntimeConfig.ApiKey("web", "web-secret-1", null, null)));
    var inConfigAndEnv =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ApiKeyRegistry.from(
                    config, Map.of("PROMPTWAY_API_KEYS", "ci:ci-secret-2:gold"), Set.of("gold")));
    assertTrue(
        inConfigAndEnv.getMessage().contains("'ci' is used by two keys"),
        inConfigAndEnv.getMessage());
    assertFalse(inConfigAndEnv.getMessage().contains("secret"), inConfigAndEnv.getMessage());
    var inEnv =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ApiKeyRegistry.from(
                    new RuntimeConfig.ApiKeys(false, "PROMPTWAY_API_KEYS", List.of()),
                    Map.of("PROMPTWAY_API_KEYS", "bob:k-1,bob:k-2"),
                    Set.of()));
    assertTrue(inEnv.getMessage().contains("'bob' is used by two keys"), inEnv.getMessage());
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
