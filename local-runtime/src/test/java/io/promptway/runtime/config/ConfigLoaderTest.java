package io.promptway.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  @Test
  void defaultsNeedNoFile() {
    RuntimeConfig c = new ConfigLoader().defaults();
    assertEquals(8080, c.server().port());
    assertEquals(Duration.ofSeconds(29), c.gateway().integrationTimeout());
    assertEquals(RuntimeConfig.ApiType.REST, c.gateway().apiType());
    assertEquals(Duration.ofSeconds(900), c.function().maxDuration());
    assertTrue(c.llm().models().containsKey("gpt-4o-mini"));
    assertEquals(Duration.ofMillis(400), c.llm().models().get("gpt-4o-mini").ttft().median());
  }

  @Test
  void eachLoadStartsFromUntouchedDefaults() {
    RuntimeConfig first = new ConfigLoader().load(null, Map.of("server.port", 1234));
    RuntimeConfig second = new ConfigLoader().defaults();

    assertEquals(1234, first.server().port());
    assertEquals(8080, second.server().port(), "a flag of one load leaked into the next");
    assertEquals(first.llm().models(), second.llm().models(), "model defaults filled only once");
  }

  @Test
  void fileOverridesDefaultsAndFlagsOverrideTheFile() throws Exception {
    Path file = dir.resolve("c.yaml");
    Files.writeString(
        file, "server:\n  port: 9001\ntime_scale: 5\ngateway:\n  integration_timeout: 10s\n");
    RuntimeConfig c = new ConfigLoader().load(file, Map.of("server.port", 0));
    assertEquals(0, c.server().port());
    assertEquals(5.0, c.timeScale());
    assertEquals(Duration.ofSeconds(10), c.gateway().integrationTimeout());
    assertEquals("127.0.0.1", c.server().host(), "untouched keys keep their defaults");
  }

  @Test
  void unknownKeyIsNamedInTheError() throws Exception {
    Path file = dir.resolve("typo.yaml");
    Files.writeString(file, "gateway:\n  integration_timeuot: 10s\n");
    var e =
        assertThrows(
            ConfigLoader.ConfigException.class, () -> new ConfigLoader().load(file, Map.of()));
    assertTrue(e.getMessage().contains("integration_timeuot"), e.getMessage());
    assertTrue(e.getMessage().contains("typo.yaml"), e.getMessage());
  }

  @Test
  void batchWindowAbovePlatformLimitIsRefusedWithTheKeyAndLimit() throws Exception {
    Path file = dir.resolve("window.yaml");
    Files.writeString(file, "async:\n  batch_window: 10m\n");
    var e =
        assertThrows(
            ConfigLoader.ConfigException.class, () -> new ConfigLoader().load(file, Map.of()));
    assertTrue(e.getMessage().contains("window.yaml"), e.getMessage());
    assertTrue(
        e.getMessage().contains("async.batch_window must be between 0s and 5m"), e.getMessage());
    assertEquals(Duration.ZERO, new ConfigLoader().defaults().async().batchWindow());
  }

  @Test
  void badDurationNamesTheKey() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "gateway:\n  integration_timeout: soon\n");
    var e =
        assertThrows(
            ConfigLoader.ConfigException.class, () -> new ConfigLoader().load(file, Map.of()));
    assertTrue(e.getMessage().contains("gateway.integration_timeout"), e.getMessage());
  }

  @Test
  void brokenYamlReportsLineAndColumn() throws Exception {
    Path file = dir.resolve("broken.yaml");
    Files.writeString(file, "server:\n  port: [1,\n");
    var e =
        assertThrows(
            ConfigLoader.ConfigException.class, () -> new ConfigLoader().load(file, Map.of()));
    assertEquals(
        file
            + ":3:1: not valid YAML: while parsing a flow node (from line 3, column 1):"
            + " expected the node content, but found '<stream end>'",
        e.getMessage());
  }

  @Test
  void missingFileIsAClearError() {
    var e =
        assertThrows(
            ConfigLoader.ConfigException.class,
            () -> new ConfigLoader().load(dir.resolve("nope.yaml"), Map.of()));
    assertTrue(e.getMessage().contains("no such config file"), e.getMessage());
  }

  @Test
  void durationsReadTheWayPeopleWriteThem() {
    assertEquals(Duration.ofMillis(400), DurationText.parse("400ms"));
    assertEquals(Duration.ofSeconds(29), DurationText.parse("29s"));
    assertEquals(Duration.ofMinutes(10), DurationText.parse("10m"));
    assertEquals(Duration.ofHours(2), DurationText.parse("2h"));
    assertEquals(Duration.ofNanos(7_600_000), DurationText.parse("7.6ms"));
    assertEquals(Duration.ofSeconds(3), DurationText.parse("PT3S"));
    assertThrows(IllegalArgumentException.class, () -> DurationText.parse("3 parsecs"));
  }
}
