package io.promptway.runtime.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.runtime.gateway.ChatMessage;
import io.promptway.runtime.metering.BillableUnit;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmulatedTokenStreamsTest {
  private static ProviderFixture fixture;
  private static TokenStreams local;

  @BeforeAll
  static void start() {
    ModelProfile slow =
        new ModelProfile(
            LatencyDistribution.fixed(Duration.ZERO),
            LatencyDistribution.fixed(Duration.ofMinutes(1)), // 1.2 s real at scale 50
            new TokenCountDistribution(50, 50),
            4,
            128_000,
            FaultRates.NONE);
    fixture = new ProviderFixture(50, Map.of("slow", slow), Optional.empty());
    local = fixture.provider.inProcessStreams().orElseThrow();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static LlmClient.Call call(String requestId, String model, String fault) {
    return new LlmClient.Call(
        requestId,
        "sse",
        model,
        List.of(ChatMessage.user("tell me about streams")),
        40,
        0.2,
        Duration.ofSeconds(30),
        fault);
  }

  private double billed(String requestId, BillableUnit unit) {
    return fixture.meter.records(requestId).stream()
        .filter(r -> r.unit() == unit)
        .mapToDouble(r -> r.quantity())
        .sum();
  }

  @Test
  void givesTheSameTokensUsageAndBillsAsTheProvidersHttpStream() {
    List<String> overHttp = new ArrayList<>();
    List<String> inProcess = new ArrayList<>();
    var viaHttp =
        new LlmClient(fixture::base)
            .stream(
                call("req_same_http", "gpt-4o-mini", null),
                overHttp::add,
                new LlmClient.Cancellation());
    var direct =
        local.stream(
            call("req_same_local", "gpt-4o-mini", null),
            inProcess::add,
            new LlmClient.Cancellation());

    assertEquals(overHttp, inProcess);
    assertEquals(viaHttp, direct);
    for (BillableUnit unit : List.of(BillableUnit.LLM_INPUT_TOKEN, BillableUnit.LLM_OUTPUT_TOKEN)) {
      assertEquals(billed("req_same_http", unit), billed("req_same_local", unit), unit.name());
    }
    assertEquals(
        direct.completionTokens(), (int) billed("req_same_local", BillableUnit.LLM_OUTPUT_TOKEN));
  }

  @Test
  void aCancelWakesTheStreamAtOnceAndBillsOnlyTheTokensGenerated() throws Exception {
    LlmClient.Cancellation cancel = new LlmClient.Cancellation();
    CountDownLatch first = new CountDownLatch(1);
    Thread canceller =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    if (first.await(10, TimeUnit.SECONDS)) cancel.cancel();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    long start = System.nanoTime();
    var c = local.stream(call("req_cancel_local", "slow", null), t -> first.countDown(), cancel);
    long realMs = (System.nanoTime() - start) / 1_000_000;
    canceller.join();

    assertEquals("cancelled", c.finishReason());
    assertEquals(1, c.completionTokens());
    assertTrue(realMs < 1_000, "the next token was 1.2 s away; returned after " + realMs + " ms");
    assertEquals(1, (int) billed("req_cancel_local", BillableUnit.LLM_OUTPUT_TOKEN));
    assertTrue(billed("req_cancel_local", BillableUnit.LLM_INPUT_TOKEN) > 0);
  }

  @Test
  void forcedFaultsFailLikeTheHttpPath() {
    var limited =
        assertThrows(
            LlmCallException.class,
            () ->
                local.stream(
                    call("req_429", "gpt-4o-mini", "rate_limit"),
                    t -> {},
                    new LlmClient.Cancellation()));
    assertEquals(429, limited.status());
    assertTrue(limited.retryable());
    assertTrue(limited.retryAfter() != null && limited.retryAfter().toSeconds() >= 1);

    List<String> got = new ArrayList<>();
    var dropped =
        assertThrows(
            LlmCallException.class,
            () ->
                local.stream(
                    call("req_drop", "gpt-4o-mini", "drop"),
                    got::add,
                    new LlmClient.Cancellation()));
    assertEquals("STREAM_DROPPED", dropped.code());
    assertTrue(dropped.retryable());
    assertEquals(got.size(), (int) billed("req_drop", BillableUnit.LLM_OUTPUT_TOKEN));

    var unknown =
        assertThrows(
            LlmCallException.class,
            () ->
                local.stream(
                    call("req_404", "no-such-model", null), t -> {}, new LlmClient.Cancellation()));
    assertEquals(404, unknown.status());
  }

  @Test
  void anUpstreamProviderIsOnlyReachedOverHttp() {
    var forwarder =
        new UpstreamForwarder(URI.create("http://127.0.0.1:9/v1/"), null, Duration.ofSeconds(1));
    var provider =
        new LlmProviderService(
            Map.of(),
            new CompletionPlanner(1),
            fixture.clock,
            fixture.meter,
            Optional.of(forwarder));
    assertTrue(provider.inProcessStreams().isEmpty());
  }
}
