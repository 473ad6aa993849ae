package io.promptway.scenarios.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.patterns.PromptwayServer;
import io.promptway.patterns.RunningRuntime;
import io.promptway.runtime.config.ConfigLoader;
import io.promptway.scenarios.client.PatternClients;
import io.promptway.scenarios.model.Scenario;
import io.promptway.scenarios.model.ScenarioReader;
import io.promptway.scenarios.result.PatternResult;
import io.promptway.scenarios.result.RunResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The replayer against the real runtime, configured from the scenario as the CLI does it. */
@Timeout(90)
class RealRuntimeReplayTest {
  @Test
  void replaysSyncAgainstTheRuntimeAndTakesCostFromItsMeter() {
    Scenario s =
        ScenarioReader.parse(
            "real.yaml",
            """
            name: real
            time_scale: 10
            load: {stages: [{type: constant, rate: 5, duration: 4s}]}
            mix: [{weight: 1, prompt_tokens: 40, output_tokens: 20}]
            llm: {model: gpt-4o-mini, ttft: 200ms, inter_token: 5ms}
            patterns: [sync]
            """);
    Map<String, Object> overrides = new LinkedHashMap<>(s.runtimeOverrides());
    overrides.put("server.port", 0);
    overrides.put(
        "state.jdbc_url", "jdbc:h2:mem:replay-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    try (RunningRuntime runtime = PromptwayServer.start(new ConfigLoader().load(null, overrides))) {
      RunResult r = new Replayer(PatternClients.httpClient(), runtime.baseUri(), null).run(s);
      PatternResult sync = r.patterns().getFirst();
      assertEquals(20, sync.sent());
      assertEquals(20, sync.completed(), sync.toString());
      assertEquals(20 * 20, sync.outputTokens(), "every request got its 20 tokens");
      assertTrue(
          sync.latency().p50() >= 290, "200 ms to the first token + 19 x 5 ms: " + sync.latency());
      assertTrue(r.costMetered());
      assertTrue(sync.cost().byComponent().get("llm") > 0, sync.cost().toString());
      assertTrue(sync.cost().byComponent().get("function") > 0, sync.cost().toString());
      assertEquals(
          sync.cost().rows().stream().mapToDouble(MeterRow::usd).sum(),
          sync.cost().totalUsd(),
          1e-12);
      assertEquals(
          20,
          sync.cost().rows().stream()
              .filter(x -> x.unit().equals("function.request"))
              .findFirst()
              .orElseThrow()
              .quantity());
    }
  }

  @Test
  void replaysTheQueuedPatternsAndTheHybridRouterOverTheirRealProtocols() {
    Scenario s =
        ScenarioReader.parse(
            "queued.yaml",
            """
            name: queued
            time_scale: 1
            load: {stages: [{type: constant, rate: 3, duration: 2s}]}
            mix:
              - {weight: 1, prompt_tokens: 40, output_tokens: 10, priority: 3, interactive: false, callback: webhook}
              - {weight: 1, prompt_tokens: 40, output_tokens: 10, priority: 3, interactive: false, callback: poll, poll_interval: 100ms}
            llm: {model: gpt-4o-mini, ttft: 50ms, inter_token: 2ms}
            patterns: [async, events, hybrid]
            client: {timeout: 60s}
            """);
    Map<String, Object> overrides = new LinkedHashMap<>(s.runtimeOverrides());
    overrides.put("server.port", 0);
    overrides.put(
        "state.jdbc_url", "jdbc:h2:mem:queued-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    try (RunningRuntime runtime = PromptwayServer.start(new ConfigLoader().load(null, overrides))) {
      RunResult r = new Replayer(PatternClients.httpClient(), runtime.baseUri(), null).run(s);
      PatternResult hybrid = r.patterns().getLast();
      assertEquals(6L, hybrid.servedBy().values().stream().mapToLong(Long::longValue).sum());
      assertTrue(
          hybrid.servedBy().keySet().stream().allMatch(k -> k.startsWith("hybrid/")),
          hybrid.servedBy().toString());
      for (PatternResult p : r.patterns()) {
        assertEquals(6, p.sent(), p.pattern());
        assertEquals(6, p.completed(), p.pattern() + ": " + p);
        assertEquals(60, p.outputTokens(), p.pattern());
        assertTrue(p.cost().totalUsd() > 0, p.pattern() + " is billed");
        if (!p.pattern().equals("hybrid")) {
          assertTrue(
              p.cost().byComponent().containsKey("queue")
                  || p.cost().byComponent().containsKey("bus"),
              p.pattern() + ": " + p.cost().byComponent());
        }
      }
    }
  }

  @Test
  void aWebhookClientMakesOneGatewayRequestPerAsyncRequestAndPollsOnlyWhenItsWebhookIsLate() {
    // each generation takes about 4 simulated seconds, four poll intervals
    Scenario s =
        ScenarioReader.parse(
            "webhook.yaml",
            """
            name: webhook
            time_scale: 10
            load: {stages: [{type: constant, rate: 1, duration: 6s}]}
            mix:
              - {weight: 1, prompt_tokens: 40, output_tokens: 100, interactive: false, callback: webhook, poll_interval: 1s}
            llm: {model: gpt-4o-mini, ttft: 100ms, inter_token: 40ms}
            patterns: [async]
            client: {timeout: 10m}
            """);
    Map<String, Object> overrides = new LinkedHashMap<>(s.runtimeOverrides());
    overrides.put("server.port", 0);
    overrides.put(
        "state.jdbc_url", "jdbc:h2:mem:webhook-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    try (RunningRuntime runtime = PromptwayServer.start(new ConfigLoader().load(null, overrides))) {
      RunResult r = new Replayer(PatternClients.httpClient(), runtime.baseUri(), null).run(s);
      PatternResult async = r.patterns().getFirst();
      assertEquals(6, async.completed(), async.toString());
      double gatewayRequests =
          async.cost().rows().stream()
              .filter(m -> m.unit().equals("gateway.rest.request"))
              .mapToDouble(MeterRow::quantity)
              .sum();
      assertEquals(6, gatewayRequests, "one submit each, no status polls: " + async.cost());
    }
  }

  @Test
  void streamsOverSseAndWebSocketAndBillsHybridForTheStreamsItRedirects() {
    Scenario s =
        ScenarioReader.parse(
            "streams.yaml",
            """
            name: streams
            time_scale: 1
            load: {stages: [{type: constant, rate: 3, duration: 2s}]}
            mix: [{weight: 1, prompt_tokens: 40, output_tokens: 12, interactive: true}]
            llm: {model: gpt-4o-mini, ttft: 50ms, inter_token: 5ms}
            patterns: [sse, websocket, hybrid]
            client: {timeout: 60s}
            """);
    Map<String, Object> overrides = new LinkedHashMap<>(s.runtimeOverrides());
    overrides.put("server.port", 0);
    overrides.put(
        "state.jdbc_url", "jdbc:h2:mem:streams-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    try (RunningRuntime runtime = PromptwayServer.start(new ConfigLoader().load(null, overrides))) {
      RunResult r = new Replayer(PatternClients.httpClient(), runtime.baseUri(), null).run(s);
      for (PatternResult p : r.patterns()) {
        assertEquals(6, p.completed(), p.pattern() + ": " + p);
        assertEquals(72, p.outputTokens(), p.pattern());
        assertTrue(p.interToken().count() > 0, p.pattern() + " streamed tokens one by one");
        assertTrue(
            p.ttft().p50() < p.latency().p50(),
            p.pattern() + " shows the first token before the end");
        assertTrue(
            p.cost().byComponent().getOrDefault("llm", 0.0) > 0, p.pattern() + ": " + p.cost());
      }
      PatternResult hybrid = r.patterns().getLast();
      assertEquals(Map.of("hybrid/sse", 6L), hybrid.servedBy());
      PatternResult sse = r.patterns().getFirst();
      // each stream's whole bill moves with it, the gateway charge billed after its end included
      double movedGateway =
          hybrid.cost().rows().stream()
              .filter(m -> m.unit().equals("redirected:sse") && m.component().equals("gateway"))
              .mapToDouble(MeterRow::usd)
              .sum();
      assertEquals(sse.cost().byComponent().get("gateway"), movedGateway, 1e-12);
      assertTrue(
          hybrid.cost().totalUsd() > sse.cost().totalUsd(),
          "hybrid pays for its streams and its own routing calls: " + hybrid.cost());
      assertEquals(sse.cost().totalUsd(), hybrid.cost().totalUsd(), sse.cost().totalUsd() * 0.5);
    }
  }

  @Test
  void readsTheModelsInterTokenLatencyAtATimeScaleWhoseRealGapsAreFractionsOfAMillisecond() {
    Scenario s =
        ScenarioReader.parse(
            "fast.yaml",
            """
            name: fast
            time_scale: 100
            load: {stages: [{type: constant, rate: 2, duration: 3s}]}
            mix: [{weight: 1, prompt_tokens: 40, output_tokens: 60, interactive: true}]
            llm: {model: gpt-4o-mini, ttft: 300ms, inter_token: 50ms}
            patterns: [sse, websocket, hybrid]
            client: {timeout: 1h}
            """);
    Map<String, Object> overrides = new LinkedHashMap<>(s.runtimeOverrides());
    overrides.put("server.port", 0);
    overrides.put("state.jdbc_url", "jdbc:h2:mem:fast-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    try (RunningRuntime runtime = PromptwayServer.start(new ConfigLoader().load(null, overrides))) {
      RunResult r = new Replayer(PatternClients.httpClient(), runtime.baseUri(), null).run(s);
      for (PatternResult p : r.patterns()) {
        assertEquals(6, p.completed(), p.pattern() + ": " + p);
        assertTrue(p.interToken().count() >= 6 * 50, p.pattern() + ": " + p.interToken());
        assertTrue(
            p.interToken().p50() >= 40 && p.interToken().p50() <= 60,
            p.pattern() + ": 50 ms between tokens (0.5 ms real), read " + p.interToken());
      }
    }
  }
}
