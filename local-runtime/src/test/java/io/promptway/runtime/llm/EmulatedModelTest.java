package io.promptway.runtime.llm;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmulatedModelTest {
  private static ProviderFixture fixture;
  private static EmulatedModel local;

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
    ModelProfile steady =
        new ModelProfile(
            LatencyDistribution.fixed(Duration.ofMillis(200)),
            LatencyDistribution.fixed(Duration.ofMillis(50)), // 1 ms real at scale 50
            new TokenCountDistribution(40, 40),
            4,
            128_000,
            FaultRates.NONE);
    fixture = new ProviderFixture(50, Map.of("slow", slow, "steady", steady), Optional.empty());
    local = fixture.provider.inProcess().orElseThrow();
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
                (t, at) -> overHttp.add(t),
                new LlmClient.Cancellation());
    var direct =
        local.stream(
            call("req_same_local", "gpt-4o-mini", null),
            (t, at) -> inProcess.add(t),
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
  void eachTokenCarriesItsPlannedEmitInstantSoItsGapsAreTheModelsWhateverTheWakeUps() {
    List<Long> emitted = new ArrayList<>();
    long before = fixture.clock.nanos();
    var c =
        local.stream(
            call("req_stamped", "steady", null),
            (t, at) -> emitted.add(at),
            new LlmClient.Cancellation());
    long after = fixture.clock.nanos();

    assertEquals(c.completionTokens(), emitted.size());
    assertTrue(emitted.size() > 2, "tokens: " + emitted.size());
    long firstAfterStart = emitted.getFirst() - before;
    assertTrue(
        firstAfterStart >= 200_000_000L && emitted.getFirst() - after <= 0,
        "first token due 200 ms (its ttft) after the call, stamped "
            + firstAfterStart / 1e6
            + " ms");
    for (int i = 1; i < emitted.size(); i++) {
      assertEquals(50_000_000L, emitted.get(i) - emitted.get(i - 1), "gap before token " + i);
    }
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
    var c =
        local.stream(call("req_cancel_local", "slow", null), (t, at) -> first.countDown(), cancel);
    long realMs = (System.nanoTime() - start) / 1_000_000;
    canceller.join();

    assertEquals("cancelled", c.finishReason());
    assertEquals(1, c.completionTokens());
    assertTrue(realMs < 1_000, "the next token was 1.2 s away; returned after " + realMs + " ms");
    assertEquals(1, (int) billed("req_cancel_local", BillableUnit.LLM_OUTPUT_TOKEN));
    assertTrue(billed("req_cancel_local", BillableUnit.LLM_INPUT_TOKEN) > 0);
  }

  @Test
  void anInterruptStopsTheStreamAtOnceBillsWhatWasGeneratedAndKeepsTheInterrupt() throws Exception {
    CountDownLatch first = new CountDownLatch(1);
    Ending ending =
        interruptOnceStarted(
            () ->
                local.stream(
                    call("req_interrupt", "slow", null),
                    (t, at) -> first.countDown(),
                    new LlmClient.Cancellation()),
            () -> first.getCount() == 0);

    assertEquals("INTERRUPTED interrupted=true", ending.outcome());
    assertTrue(
        ending.realMs() < 1_000,
        "the next token was 1.2 s away; stopped after " + ending.realMs() + " ms");
    assertEquals(1, (int) billed("req_interrupt", BillableUnit.LLM_OUTPUT_TOKEN));
  }

  /** How a call interrupted by the test ended, and how long after the interrupt (real time). */
  private record Ending(String outcome, long realMs) {}

  /**
   * Runs {@code call} on a virtual thread and interrupts it once {@code started} holds (polled, for
   * at most 10 s).
   */
  private static Ending interruptOnceStarted(Runnable call, BooleanSupplier started)
      throws InterruptedException {
    AtomicReference<String> outcome = new AtomicReference<>();
    Thread calling =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    call.run();
                    outcome.set("completed");
                  } catch (LlmCallException e) {
                    outcome.set(
                        e.code() + " interrupted=" + Thread.currentThread().isInterrupted());
                  }
                });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!started.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "the call never started");
      Thread.onSpinWait();
    }
    long start = System.nanoTime();
    calling.interrupt();
    calling.join(Duration.ofSeconds(10));
    return new Ending(outcome.get(), (System.nanoTime() - start) / 1_000_000);
  }

  @Test
  void forcedFaultsFailLikeTheHttpPath() {
    var limited =
        assertThrows(
            LlmCallException.class,
            () ->
                local.stream(
                    call("req_429", "gpt-4o-mini", "rate_limit"),
                    (t, at) -> {},
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
                    (t, at) -> got.add(t),
                    new LlmClient.Cancellation()));
    assertEquals("STREAM_DROPPED", dropped.code());
    assertTrue(dropped.retryable());
    assertEquals(got.size(), (int) billed("req_drop", BillableUnit.LLM_OUTPUT_TOKEN));

    var unknown =
        assertThrows(
            LlmCallException.class,
            () ->
                local.stream(
                    call("req_404", "no-such-model", null),
                    (t, at) -> {},
                    new LlmClient.Cancellation()));
    assertEquals(404, unknown.status());
  }

  @Test
  void aCompletionGivesTheSameAnswerUsageAndBillsAsTheProvidersHttpEndpoint() {
    var viaHttp =
        new LlmClient(fixture::base).complete(call("req_plain_http", "gpt-4o-mini", null));
    var direct = local.complete(call("req_plain_local", "gpt-4o-mini", null));

    assertEquals(viaHttp, direct);
    assertTrue(direct.completionTokens() > 0);
    for (BillableUnit unit : List.of(BillableUnit.LLM_INPUT_TOKEN, BillableUnit.LLM_OUTPUT_TOKEN)) {
      assertEquals(billed("req_plain_http", unit), billed("req_plain_local", unit), unit.name());
    }
    assertEquals(
        direct.completionTokens(), (int) billed("req_plain_local", BillableUnit.LLM_OUTPUT_TOKEN));
  }

  @Test
  void aCompletionsFaultsReadAsTheHttpEndpointsAnswersDo() {
    LlmClient overHttp = new LlmClient(fixture::base);
    for (String fault : List.of("rate_limit", "server_error", "unavailable", "drop")) {
      var viaHttp =
          assertThrows(
              LlmCallException.class,
              () -> overHttp.complete(call("req_" + fault + "_http", "gpt-4o-mini", fault)));
      var direct =
          assertThrows(
              LlmCallException.class,
              () -> local.complete(call("req_" + fault + "_local", "gpt-4o-mini", fault)));
      assertEquals(describe(viaHttp), describe(direct), fault);
      for (BillableUnit unit :
          List.of(BillableUnit.LLM_INPUT_TOKEN, BillableUnit.LLM_OUTPUT_TOKEN)) {
        assertEquals(
            billed("req_" + fault + "_http", unit),
            billed("req_" + fault + "_local", unit),
            fault + " " + unit);
      }
    }
    assertEquals(
        overHttp.complete(call("req_stall_http", "gpt-4o-mini", "stall")),
        local.complete(call("req_stall_local", "gpt-4o-mini", "stall")));
    assertEquals(
        describe(
            assertThrows(
                LlmCallException.class,
                () -> overHttp.complete(call("req_model_http", "no-such-model", null)))),
        describe(
            assertThrows(
                LlmCallException.class,
                () -> local.complete(call("req_model_local", "no-such-model", null)))));
  }

  @Test
  void aCallPastTheContextWindowIsRefusedAlikeInProcessAndOverHttpAndNotBilled() {
    var tooLong =
        new LlmClient.Call(
            "req_context",
            "sync",
            "gpt-4o-mini",
            List.of(ChatMessage.user("x".repeat(4 * 128_000))),
            40,
            0.2,
            Duration.ofSeconds(30),
            null);
    var viaHttp =
        assertThrows(LlmCallException.class, () -> new LlmClient(fixture::base).complete(tooLong));
    var direct = assertThrows(LlmCallException.class, () -> local.complete(tooLong));
    var streamed =
        assertThrows(
            LlmCallException.class,
            () -> local.stream(tooLong, (t, at) -> {}, new LlmClient.Cancellation()));

    assertEquals(describe(viaHttp), describe(direct));
    assertEquals(describe(direct), describe(streamed));
    assertEquals(400, direct.status());
    assertEquals("CONTEXT_LENGTH_EXCEEDED", direct.code());
    assertFalse(direct.retryable());
    assertTrue(fixture.meter.records("req_context").isEmpty());
  }

  private static String describe(LlmCallException e) {
    return e.status()
        + " "
        + e.code()
        + " "
        + e.getMessage()
        + " retryAfter="
        + e.retryAfter()
        + " retryable="
        + e.retryable();
  }

  @Test
  void anInterruptEndsACompletionsWaitBillsTheOutputGeneratedSoFarAndKeepsTheInterrupt()
      throws Exception {
    Ending ending =
        interruptOnceStarted(
            () -> local.complete(call("req_interrupt_plain", "slow", null)),
            () -> billed("req_interrupt_plain", BillableUnit.LLM_INPUT_TOKEN) > 0);

    assertEquals("INTERRUPTED interrupted=true", ending.outcome());
    assertTrue(
        ending.realMs() < 1_000,
        "the answer was 48 s away; stopped after " + ending.realMs() + " ms");
    // the first token is due at once, the second a minute later: the other 39 were never generated
    assertEquals(1, (int) billed("req_interrupt_plain", BillableUnit.LLM_OUTPUT_TOKEN));
  }

  @Test
  void aCompletionWhoseCallerGoesAwayOverHttpIsBilledAsInProcessTheTokensGeneratedUntilThen()
      throws Exception {
    LlmClient overHttp = new LlmClient(fixture::base, null, fixture.provider.hangUps());
    interruptOnceStarted(
        () -> overHttp.completeOverHttp(call("req_gone_http", "slow", null)),
        () -> billed("req_gone_http", BillableUnit.LLM_INPUT_TOKEN) > 0);
    interruptOnceStarted(
        () -> local.complete(call("req_gone_local", "slow", null)),
        () -> billed("req_gone_local", BillableUnit.LLM_INPUT_TOKEN) > 0);

    // the provider stops when the caller hangs up, not when the whole answer (48 s away) is due
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> billed("req_gone_http", BillableUnit.LLM_OUTPUT_TOKEN), equalTo(1.0));
    assertEquals(1, (int) billed("req_gone_local", BillableUnit.LLM_OUTPUT_TOKEN));
    assertEquals(
        billed("req_gone_local", BillableUnit.LLM_INPUT_TOKEN),
        billed("req_gone_http", BillableUnit.LLM_INPUT_TOKEN));
  }

  @Test
  void aStreamCancelledOverHttpIsBilledAsInProcessTheTokensGeneratedUntilTheCancel() {
    LlmClient overHttp = new LlmClient(fixture::base, null, fixture.provider.hangUps());
    LlmClient.Cancellation viaHttp = new LlmClient.Cancellation();
    LlmClient.Cancellation direct = new LlmClient.Cancellation();
    var http =
        overHttp.stream(
            call("req_cancel_http", "slow", null), (t, at) -> viaHttp.cancel(), viaHttp);
    var local =
        EmulatedModelTest.local.stream(
            call("req_cancel_direct", "slow", null), (t, at) -> direct.cancel(), direct);

    assertEquals("cancelled", http.finishReason());
    assertEquals(local.text(), http.text());
    assertEquals(1, http.completionTokens());
    // the next token was 1.2 s away: a provider that noticed only at its next writes bills 2 or 3
    await()
        .during(Duration.ofMillis(2_500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> billed("req_cancel_http", BillableUnit.LLM_OUTPUT_TOKEN), equalTo(1.0));
    assertEquals(1, (int) billed("req_cancel_direct", BillableUnit.LLM_OUTPUT_TOKEN));
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
    assertTrue(provider.inProcess().isEmpty());
  }
}
