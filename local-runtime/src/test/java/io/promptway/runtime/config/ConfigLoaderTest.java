package io.promptway.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
        e.getMessage().contains("'async': batch_window must be within 0s..5m, got 10m"),
        e.getMessage());
    assertEquals(Duration.ZERO, new ConfigLoader().defaults().async().batchWindow());
  }

  /** Each line: a config file's text, then what its error must say after the file's name. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          server: {port: abc}                            | 'server.port': 'abc' is not a whole number
          server: {port: 70000}                          | 'server': port must be within 0..65535, got 70000
          gateway: {integration_timeout: soon}           | 'gateway.integration_timeout': 'soon' is not a duration; write e.g. 400ms, 29s, 10m, 2h
          gateway: {integration_timeout: 0s}             | 'gateway': integration_timeout must be more than 0s, got 0s
          gateway: {integration_timeout: -1s}            | 'gateway': integration_timeout must be more than 0s, got -1s
          gateway: {integration_timeout: -1.5m}          | 'gateway': integration_timeout must be more than 0s, got -90s
          gateway: {cors: {max_age: -10m}}               | 'gateway.cors': max_age must be 0s or more, got -10m
          time_scale: 0                                  | time_scale must be more than 0, got 0
          time_scale: -2.5                               | time_scale must be more than 0, got -2.5
          gateway: {api_type: soap}                      | 'gateway.api_type': 'soap' is not one of [rest, http]
          gateway: {api_type: http, integration_timeout: 31s} | 'gateway': integration_timeout of an http API is at most 30s, got 31s
          gateway: {temperature_default: 3}              | 'gateway': temperature_default must be within 0..2, got 3
          gateway: {max_tokens_default: 5000}            | 'gateway': max_tokens_default must be within 1..4096, got 5000
          gateway: {throttle: {steady_rps: 0}}           | 'gateway.throttle': steady_rps must be more than 0, got 0
          function: {memory_mb: 64}                      | 'function': memory_mb must be within 128..10240, got 64
          function: {max_duration: 20m}                  | 'function': max_duration must be within 1ms..15m, got 20m
          function: {max_duration: 0s}                   | 'function': max_duration must be within 1ms..15m, got 0s
          function: {concurrency_limit: 0}               | 'function': concurrency_limit must be at least 1, got 0
          function: [1, 2]                               | 'function': expected a mapping of keys to values
          llm: {default_model: gpt-9}                    | 'llm': default_model 'gpt-9' is not one of the models: [claude-sonnet-4, gpt-4.1-mini, gpt-4o, gpt-4o-mini, instant, nova-micro]
          llm: {in_process: maybe}                       | 'llm.in_process': 'maybe' is not true or false
          llm: {models: {mine: {ttft: {median: 1s}}}}    | 'llm.models.mine': inter_token is required
          state: {ttl: 0s}                               | 'state': ttl must be more than 0s, got 0s
          queue: {retention: 30d}                        | 'queue': retention must be within 1m..14d, got 30d
          queue: {max_receive_count: 0}                  | 'queue': max_receive_count must be within 1..1000, got 0
          webhook: {jitter: 2}                           | 'webhook': jitter must be within 0..1, got 2
          webhook: {retry_schedule: [5s, -1s]}           | 'webhook': retry_schedule[1] must be 0s or more, got -1s
          webhook: {retry_schedule: [5s, PT-1S]}         | 'webhook': retry_schedule[1] must be 0s or more, got -1s
          async: {retry_base: 10s, retry_max: 5s}        | 'async': retry_max must be at least retry_base (10s), got 5s
          async: {workers: 0}                            | 'async': workers must be at least 1, got 0
          bus: {max_attempts: 200}                       | 'bus': max_attempts must be within 1..185, got 200
          sse: {heartbeat_interval: 0s}                  | 'sse': heartbeat_interval must be more than 0s, got 0s
          websocket: {max_message_bytes: 0}              | 'websocket': max_message_bytes must be at least 1, got 0
          gateway: {cors: {allowed_origins: ['http://localhost:3000/app']}} | 'gateway.cors': allowed_origins: 'http://localhost:3000/app' is not an origin such as http://localhost:3000 (scheme and host, no path) or *
          gateway: {usage_plans: {gold: {steady_rps: 5}}}  | 'gateway.usage_plans.gold.burst': is required: a whole number
          llm: {upstream: 'ftp://x/v1'}                    | 'llm': upstream must be an http:// or https:// URL with a host, got 'ftp://x/v1'
          llm: {upstream: 'not a url'}                     | 'llm': upstream must be an http:// or https:// URL with a host, got 'not a url'
          llm: {models: {gpt-4o: {chars_per_token: 0}}}  | 'llm.models.gpt-4o': chars_per_token must be more than 0, got 0.0
          bus: {processors: {fast-processor: {model: gpt-9}}} | bus.processors.fast-processor.model 'gpt-9' is not one of llm.models: [claude-sonnet-4, gpt-4.1-mini, gpt-4o, gpt-4o-mini, instant, nova-micro]
          hybrid: {sync_tiers: [gold]}                     | 'hybrid': sync_tiers: unknown tier 'gold' (known: [free, standard, premium, enterprise])
          hybrid: {fallback: sse}                          | 'hybrid': fallback must be one of [async, sync], got 'sse'
          hybrid: {async_min_max_tokens: 0}                | 'hybrid': async_min_max_tokens must be at least 1, got 0
          prices: {function.gb_seconds: 0.00001}           | prices: unknown key 'function.gb_seconds' (known: [as_of, currency, llm, region, units], or a unit's USD price as a number: [bus.event, function.gb_second, function.request, function.streamed_gb, gateway.http.request, gateway.rest.request, gateway.rest.streaming_10mb, gateway.websocket.connection_minute, gateway.websocket.message, queue.request, state.read_unit, state.write_unit])
          """)
  void aValueOutOfRangeOrOfTheWrongKindIsRefusedNamingTheKeyAndTheRule(
      String config, String expected) throws Exception {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, config + "\n");

    var e =
        assertThrows(
            ConfigLoader.ConfigException.class, () -> new ConfigLoader().load(file, Map.of()));

    assertEquals(file + ": " + expected, e.getMessage());
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
  void aFolderGivenAsTheConfigFileIsNamedAsOne() {
    var e =
        assertThrows(
            ConfigLoader.ConfigException.class, () -> new ConfigLoader().load(dir, Map.of()));
    assertEquals(dir + ": a folder, not a config file", e.getMessage());
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
    assertEquals(Duration.ofSeconds(-1), DurationText.parse("-1s"));
    assertEquals(Duration.ofSeconds(90), DurationText.parse("1m30s"));
    assertEquals(Duration.ofSeconds(5400), DurationText.parse("1h 30m"));
    assertEquals(Duration.ofSeconds(-90), DurationText.parse("-1m30s"));
    for (String outOfOrder : List.of("30m1h", "1h1h", "1s1m")) {
      var e = assertThrows(IllegalArgumentException.class, () -> DurationText.parse(outOfOrder));
      assertTrue(e.getMessage().contains("from the largest unit down"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> DurationText.parse("3 parsecs"));
  }
}
