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

  /**
   * Each line: a config file's text, then what its error must say after the file's name: the line
   * and column of the offending value (of the mapping around it when it is missing), then what is
   * wrong with it.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          server: {port: abc}                            | 1:16: 'server.port': 'abc' is not a whole number
          seed: 1.5                                      | 1:7: 'seed': '1.5' is not a whole number
          function: {memory_mb: 512.7}                   | 1:23: 'function.memory_mb': '512.7' is not a whole number
          server: {port: 70000}                          | 1:16: 'server': port must be within 0..65535, got 70000
          gateway: {integration_timeout: soon}           | 1:32: 'gateway.integration_timeout': 'soon' is not a duration; write e.g. 400ms, 29s, 10m, 2h
          gateway: {integration_timeout: 0s}             | 1:32: 'gateway': integration_timeout must be more than 0s, got 0s
          gateway: {integration_timeout: -1s}            | 1:32: 'gateway': integration_timeout must be more than 0s, got -1s
          gateway: {integration_timeout: -1.5m}          | 1:32: 'gateway': integration_timeout must be more than 0s, got -90s
          gateway: {cors: {max_age: -10m}}               | 1:27: 'gateway.cors': max_age must be 0s or more, got -10m
          time_scale: 0                                  | 1:13: time_scale must be within 0.001..10000, got 0
          time_scale: -2.5                               | 1:13: time_scale must be within 0.001..10000, got -2.5
          time_scale: 1e9                                | 1:13: time_scale must be within 0.001..10000, got 1000000000
          gateway: {api_type: soap}                      | 1:21: 'gateway.api_type': 'soap' is not one of [rest, http]
          gateway: {api_type: http, integration_timeout: 31s} | 1:48: 'gateway': integration_timeout of an http API is at most 30s, got 31s
          gateway: {temperature_default: 3}              | 1:32: 'gateway': temperature_default must be within 0..2, got 3
          gateway: {max_tokens_default: 5000}            | 1:31: 'gateway': max_tokens_default must be within 1..4096, got 5000
          gateway: {throttle: {steady_rps: 0}}           | 1:34: 'gateway.throttle': steady_rps must be more than 0, got 0
          function: {memory_mb: 64}                      | 1:23: 'function': memory_mb must be within 128..10240, got 64
          function: {max_duration: 20m}                  | 1:26: 'function': max_duration must be within 1ms..15m, got 20m
          function: {max_duration: 0s}                   | 1:26: 'function': max_duration must be within 1ms..15m, got 0s
          function: {concurrency_limit: 0}               | 1:31: 'function': concurrency_limit must be at least 1, got 0
          function: [1, 2]                               | 1:1: 'function': expected a mapping of keys to values
          server: ~                                      | 1:9: 'server': expected a mapping of keys to values
          llm: ~                                         | 1:6: 'llm': expected a mapping of keys to values
          gateway: {throttle: ~}                         | 1:21: 'gateway.throttle': expected a mapping of keys to values
          llm: {default_model: gpt-9}                    | 1:22: 'llm': default_model 'gpt-9' is not one of the models: [claude-sonnet-4, gpt-4.1-mini, gpt-4o, gpt-4o-mini, instant, nova-micro]
          llm: {in_process: maybe}                       | 1:19: 'llm.in_process': 'maybe' is not true or false
          llm: {models: {mine: {ttft: {median: 1s}}}}    | 1:16: 'llm.models.mine': inter_token is required
          state: {ttl: 0s}                               | 1:14: 'state': ttl must be more than 0s, got 0s
          queue: {retention: 30d}                        | 1:20: 'queue': retention must be within 1m..14d, got 30d
          queue: {max_receive_count: 0}                  | 1:28: 'queue': max_receive_count must be within 1..1000, got 0
          webhook: {jitter: 2}                           | 1:19: 'webhook': jitter must be within 0..1, got 2
          webhook: {allow_hosts: [localhost, '999.1.1.1/99']} | 1:36: 'webhook': allow_hosts[1] '999.1.1.1/99' is neither a host name nor an IP address or network such as 10.0.0.0/8 (not an IP address: 999.1.1.1)
          webhook: {retry_schedule: [5s, -1s]}           | 1:32: 'webhook': retry_schedule[1] must be 0s or more, got -1s
          webhook: {retry_schedule: [5s, PT-1S]}         | 1:32: 'webhook': retry_schedule[1] must be 0s or more, got -1s
          async: {retry_base: 10s, retry_max: 5s}        | 1:37: 'async': retry_max must be at least retry_base (10s), got 5s
          async: {workers: 0}                            | 1:18: 'async': workers must be at least 1, got 0
          bus: {max_attempts: 200}                       | 1:21: 'bus': max_attempts must be within 1..185, got 200
          sse: {heartbeat_interval: 0s}                  | 1:27: 'sse': heartbeat_interval must be more than 0s, got 0s
          websocket: {max_message_bytes: 0}              | 1:32: 'websocket': max_message_bytes must be at least 1, got 0
          gateway: {cors: {allowed_origins: ['http://localhost:3000/app']}} | 1:18: 'gateway.cors': allowed_origins: 'http://localhost:3000/app' is not an origin such as http://localhost:3000 (scheme and host, no path) or *
          gateway: {cors: {allowed_origins: ['*'], allow_credentials: true}} | 1:18: 'gateway.cors': allowed_origins: '*' cannot be combined with allow_credentials: true (every origin, even 'null', would be answered with credentials); list the origins instead
          gateway: {max_header_bytes: -5}                | 1:29: 'gateway': max_header_bytes must be at least 1, got -5
          gateway: {max_header_bytes: 0}                 | 1:29: 'gateway': max_header_bytes must be at least 1, got 0
          gateway: {usage_plans: {gold: {steady_rps: 5}}}  | 1:25: 'gateway.usage_plans.gold.burst': is required: a whole number
          llm: {upstream: 'ftp://x/v1'}                    | 1:17: 'llm': upstream must be an http:// or https:// URL with a host, got 'ftp://x/v1'
          llm: {upstream: 'not a url'}                     | 1:17: 'llm': upstream must be an http:// or https:// URL with a host, got 'not a url'
          llm: {models: {gpt-4o: {chars_per_token: 0}}}  | 1:42: 'llm.models.gpt-4o': chars_per_token must be more than 0, got 0.0
          model_defaults: {faults: {stall_duration: -5s}}  | 1:43: 'model_defaults.faults': stall_duration must be more than 0s, got -5s
          model_defaults: {faults: {retry_after: -3s}}     | 1:40: 'model_defaults.faults': retry_after must be at least 1s (Retry-After is in whole seconds), got -3s
          model_defaults: {faults: {rate_limited: 0.6, server_error: 0.6}} | 1:18: 'model_defaults.faults': the fault rates add up to 1.2; at most 1, as one fault at most is drawn per request (rate_limited first, stream_drop last)
          llm: {models: {gpt-4o: {faults: {stream_drop: 1.5}}}} | 1:47: 'llm.models.gpt-4o.faults': stream_drop must be within 0..1 (a probability per request), got 1.5
          bus: {rules: [{name: r, pattern: {}, targets: []}]} | 1:38: 'bus.rules[0]': targets: name at least one processor
          bus: {rules: [{name: r, pattern: {}, targets: [fast-processor]}, {name: r, pattern: {}, targets: [fast-processor]}]} | 1:1: 'bus': two rules are named 'r'
          bus: {rules: [{name: r, pattern: {}, targets: [nope]}]} | 1:1: 'bus': rule 'r' targets 'nope', which is not under bus.processors (known: [fast-processor, standard-processor])
          bus: {processors: {fast-processor: {model: gpt-9}}} | 1:44: bus.processors.fast-processor.model 'gpt-9' is not one of llm.models: [claude-sonnet-4, gpt-4.1-mini, gpt-4o, gpt-4o-mini, instant, nova-micro]
          hybrid: {sync_tiers: [gold]}                     | 1:10: 'hybrid': sync_tiers: unknown tier 'gold' (known: [free, standard, premium, enterprise])
          hybrid: {fallback: sse}                          | 1:20: 'hybrid': fallback must be one of [async, sync], got 'sse'
          hybrid: {async_min_max_tokens: 0}                | 1:32: 'hybrid': async_min_max_tokens must be at least 1, got 0
          prices: {function.gb_seconds: 0.00001}           | 1:10: prices: unknown key 'function.gb_seconds' (known: [as_of, currency, llm, region, units], or a unit's USD price as a number: [bus.event, function.gb_second, function.request, function.streamed_gb, gateway.http.request, gateway.rest.request, gateway.rest.streaming_10mb, gateway.websocket.connection_minute, gateway.websocket.message, queue.request, state.read_unit, state.write_unit])
          """)
  void aValueOutOfRangeOrOfTheWrongKindIsRefusedNamingTheKeyAndTheRule(
      String config, String expected) throws Exception {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, config + "\n");

    var e =
        assertThrows(
            ConfigLoader.ConfigException.class, () -> new ConfigLoader().load(file, Map.of()));

    assertEquals(file + ":" + expected, e.getMessage());
  }

  @Test
  void everyProblemInAFileIsReportedOnALineOfItsOwnAtItsKeyInFileOrder() throws Exception {
    Path file = dir.resolve("several.yaml");
    Files.writeString(
        file,
        """
        server:
          port: 70000
        gateway:
          integration_timeuot: 10s
          temperature_default: 3
        llm:
          in_process: maybe
          models:
            gpt-4o:
              ttft: {median: -1ms}
        queue:
          retention: 30d
          max_receive_count: 0
        webhook:
          retry_schedule: [5s, soon]
        """);

    var e =
        assertThrows(
            ConfigLoader.ConfigException.class, () -> new ConfigLoader().load(file, Map.of()));

    List<String> lines = e.getMessage().lines().toList();
    assertEquals(8, lines.size(), e.getMessage());
    assertEquals(lines.size(), e.problems().size());
    assertTrue(
        lines.get(1).startsWith(file + ":4:3: unknown key 'gateway.integration_timeuot' (known: ["),
        lines.get(1));
    assertEquals(
        List.of(
            file + ":2:9: 'server': port must be within 0..65535, got 70000",
            file + ":5:24: 'gateway': temperature_default must be within 0..2, got 3",
            file + ":7:15: 'llm.in_process': 'maybe' is not true or false",
            file + ":10:22: 'llm.models.gpt-4o.ttft': median must be zero or positive",
            file + ":12:14: 'queue': retention must be within 1m..14d, got 30d",
            file + ":13:22: 'queue': max_receive_count must be within 1..1000, got 0",
            file
                + ":15:24: 'webhook.retry_schedule[1]': 'soon' is not a duration; write e.g."
                + " 400ms, 29s, 10m, 2h"),
        lines.stream().filter(line -> !line.contains("unknown key")).toList());
  }

  @Test
  void aBoundCheckedAfterBindingIsReportedAtTheLineOfItsKey() throws Exception {
    Path file = dir.resolve("bound.yaml");
    Files.writeString(
        file,
        """
        # a comment, then a section the check passes
        server:
          host: 0.0.0.0
        async:
          workers: 2
          retry_base: 10s
          retry_max: 5s
        """);

    var e =
        assertThrows(
            ConfigLoader.ConfigException.class, () -> new ConfigLoader().load(file, Map.of()));

    assertEquals(
        file + ":7:14: 'async': retry_max must be at least retry_base (10s), got 5s",
        e.getMessage());
  }

  @Test
  void aSyntaxErrorIsTheOnlyProblemReportedAndHasItsLine() throws Exception {
    Path file = dir.resolve("syntax.yaml");
    Files.writeString(file, "server:\n  port: 70000\ngateway:\n  api_type: [rest\nqueue: {}\n");

    var e =
        assertThrows(
            ConfigLoader.ConfigException.class, () -> new ConfigLoader().load(file, Map.of()));

    assertEquals(1, e.problems().size(), e.getMessage());
    ConfigProblem problem = e.problems().get(0);
    assertEquals(file.toString(), problem.source());
    assertEquals(5, problem.line(), e.getMessage());
    assertTrue(problem.message().startsWith("not valid YAML: "), e.getMessage());
  }

  @Test
  void aBadValueGivenByAFlagNamesTheFlagInsteadOfTheFile() throws Exception {
    Path file = dir.resolve("fine.yaml");
    Files.writeString(file, "llm:\n  upstream: http://127.0.0.1:11434/v1\n");

    var e =
        assertThrows(
            ConfigLoader.ConfigException.class,
            () ->
                new ConfigLoader()
                    .load(
                        file,
                        Map.of("llm.upstream", "ftp://x"),
                        Map.of("llm.upstream", "--upstream")));

    assertEquals(
        "--upstream: 'llm': upstream must be an http:// or https:// URL with a host, got 'ftp://x'",
        e.getMessage());
  }

  @Test
  void aBadValueInTheFileIsReportedThoughAFlagReplacesIt() throws Exception {
    Path file = dir.resolve("port.yaml");
    Files.writeString(file, "server: {port: \"abc\"}\nasync: {workers: 0}\n");

    var e =
        assertThrows(
            ConfigLoader.ConfigException.class,
            () ->
                new ConfigLoader()
                    .load(
                        file,
                        Map.of("server.port", 0, "async.workers", -1),
                        Map.of("server.port", "--port", "async.workers", "--workers")));

    assertEquals(
        List.of(
            file + ":1:16: 'server.port': 'abc' is not a whole number",
            file + ":2:18: 'async': workers must be at least 1, got 0",
            "--workers: 'async': workers must be at least 1, got -1"),
        e.problems().stream().map(ConfigProblem::toString).toList());
  }

  @Test
  void aShippedValueTheFileMadeWrongIsSaidToBeTheDefaultAtTheSectionItIsIn() throws Exception {
    Path file = dir.resolve("cap.yaml");
    Files.writeString(file, "server:\n  port: 0\ngateway:\n  max_tokens_cap: 100\n");

    var e =
        assertThrows(
            ConfigLoader.ConfigException.class, () -> new ConfigLoader().load(file, Map.of()));

    assertEquals(
        file + ":3:1: 'gateway': max_tokens_default must be within 1..100, got 1024 (the default)",
        e.getMessage());
  }

  @Test
  void aProblemInModelDefaultsIsReportedOnceAtItsLineNotOnceForEachModel() throws Exception {
    Path file = dir.resolve("faults.yaml");
    Files.writeString(file, "model_defaults:\n  faults:\n    stall: 2\n");

    var e =
        assertThrows(
            ConfigLoader.ConfigException.class, () -> new ConfigLoader().load(file, Map.of()));

    assertEquals(
        file
            + ":3:12: 'model_defaults.faults': stall must be within 0..1 (a probability per request),"
            + " got 2",
        e.getMessage());
  }

  @Test
  void aCheckAgainstTheValuePutInForAnotherBadOneIsNotReported() throws Exception {
    Path file = dir.resolve("retry.yaml");
    Files.writeString(file, "async:\n  retry_base: 0s\n  retry_max: 1s\n");

    var e =
        assertThrows(
            ConfigLoader.ConfigException.class, () -> new ConfigLoader().load(file, Map.of()));

    assertEquals(file + ":2:15: 'async': retry_base must be more than 0s, got 0s", e.getMessage());
  }

  @Test
  void overridesWithoutAFlagAreReportedAsTheConfiguration() {
    var e =
        assertThrows(
            ConfigLoader.ConfigException.class,
            () ->
                new ConfigLoader()
                    .load(null, Map.of("async.workers", 0, "queue.retention", "30d")));

    assertEquals(
        List.of(
            "configuration: 'async': workers must be at least 1, got 0",
            "configuration: 'queue': retention must be within 1m..14d, got 30d"),
        e.problems().stream().map(ConfigProblem::toString).sorted().toList());
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
  void aKeyGivenTwiceIsRefusedAtItsSecondOccurrence() throws Exception {
    Path file = dir.resolve("twice.yaml");
    Files.writeString(file, "seed: 1\nserver:\n  port: 9000\n  port: 9001\nseed: 2\n");

    var e =
        assertThrows(
            ConfigLoader.ConfigException.class, () -> new ConfigLoader().load(file, Map.of()));

    assertEquals(
        List.of(
            file + ":4:3: 'server.port' is given twice (first at line 3)",
            file + ":5:1: 'seed' is given twice (first at line 1)"),
        e.problems().stream().map(ConfigProblem::toString).toList());
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
