package io.promptway.cli.chat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.patterns.RunningRuntime;
import io.promptway.runtime.http.Json;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.jline.terminal.Terminal;
import org.jline.terminal.Terminal.Signal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ctrl-C against the real runtime, on a model whose answers are {@value #PLANNED_TOKENS} tokens
 * long: over WebSocket the server cancels and stops billing; over SSE, sync and the queued patterns
 * it runs on to the end; either way the cost the chat shows is what the meter recorded for the
 * request.
 */
class ChatCancelAcceptanceTest {
  private static final int PLANNED_TOKENS = 1000;
  private static RunningRuntime runtime;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    runtime =
        EmbeddedRuntimes.start(
            4,
            Map.of(
                "llm.models.gpt-4o-mini.output_tokens",
                Map.of("median", PLANNED_TOKENS, "p95", PLANNED_TOKENS)));
  }

  @AfterAll
  static void stop() {
    if (runtime != null) runtime.close();
  }

  @Test
  void ctrlCOverWebSocketCancelsOnTheServerAndShowsTheMeteredCost() throws Exception {
    CancelledRun run = cancelOneTurn("websocket");

    JsonNode request = get("/requests/" + run.requestId()).path("data");
    assertEquals("cancelled", request.path("request").path("status").asText(), request.toString());
    assertTrue(request.path("trail").toString().contains("cancel received"), request.toString());
    long tokens = request.path("request").path("usage").path("completion_tokens").asLong();
    assertTrue(tokens < PLANNED_TOKENS / 2, "stopped after " + tokens + " tokens");
    assertTrue(run.screen().contains("[cancelled on the server after " + tokens), run.screen());
    run.savedThePromptTokensOf(request.path("request"));
    assertEquals(meteredUsd(run.requestId()), run.costUsd(), 1e-12);
    assertFalse(run.soFar());
  }

  @Test
  void ctrlCOverSseSaysTheServerStreamsOnAndShowsItsFinalBill() throws Exception {
    CancelledRun run = cancelOneTurn("sse");

    JsonNode request = get("/requests/" + run.requestId()).path("data").path("request");
    assertEquals("completed", request.path("status").asText(), request.toString());
    assertEquals(PLANNED_TOKENS, request.path("usage").path("completion_tokens").asLong());
    assertTrue(run.screen().contains(SseTransport.NO_CANCEL), run.screen());
    assertTrue(run.screen().contains("ended completed with " + PLANNED_TOKENS), run.screen());
    run.savedThePromptTokensOf(request);
    assertEquals(meteredUsd(run.requestId()), run.costUsd(), 1e-12);
    assertFalse(run.soFar());
  }

  @ParameterizedTest
  @ValueSource(strings = {"sync", "async", "events", "hybrid"})
  void ctrlCOverAPatternWithoutCancelSaysTheRequestRunsOnAndShowsItsFinalBill(String pattern)
      throws Exception {
    CancelledRun run = cancelOneTurn(pattern, (repl, screen) -> repl.currentCall() != null);

    JsonNode request = get("/requests/" + run.requestId()).path("data").path("request");
    assertEquals("completed", request.path("status").asText(), request.toString());
    String noCancel =
        switch (pattern) {
          case "sync" -> SyncTransport.NO_CANCEL;
          case "hybrid" -> "[routed to async, which runs on to the end and is billed";
          default -> PollingTransport.NO_CANCEL;
        };
    assertTrue(run.screen().contains(noCancel), run.screen());
    assertTrue(run.screen().contains("ended completed with " + PLANNED_TOKENS), run.screen());
    assertTrue(run.screen().contains("ttft - |"), "no token came, so no ttft: " + run.screen());
    run.savedThePromptTokensOf(request);
    assertEquals(meteredUsd(run.requestId()), run.costUsd(), 1e-12);
    assertFalse(run.soFar());
  }

  @Test
  void aWebSocketCancelBeforeTheServerNamedTheRequestIsSentOnceItDoes() throws Exception {
    ChatTransport ws = new ChatTransports(runtime.baseUri()).forPattern("websocket");
    try {
      ChatCall call =
          ws.start(
              new TurnRequest("write a long essay", List.of(), "gpt-4o-mini"),
              new TokenListener() {
                @Override
                public void onToken(String text) {}

                @Override
                public void onNotice(String message) {}
              });
      call.cancel();

      CancelledTurn settled = call.settle(new SettleWait(Duration.ofSeconds(20), m -> {}));

      assertNotNull(settled.result().requestId());
      assertTrue(settled.onServer().startsWith("cancelled on the server"), settled.onServer());
      JsonNode request = get("/requests/" + settled.result().requestId()).path("data");
      assertTrue(request.path("trail").toString().contains("cancel received"), request.toString());
      assertEquals(meteredUsd(settled.result().requestId()), settled.result().costUsd(), 1e-12);
    } finally {
      ws.close();
    }
  }

  private record CancelledRun(
      String requestId, long promptTokens, double costUsd, boolean soFar, String screen) {
    /** The transcript saves the prompt tokens the runtime recorded, billed though cancelled. */
    void savedThePromptTokensOf(JsonNode request) {
      long recorded = request.path("usage").path("prompt_tokens").asLong();
      assertTrue(recorded > 0, request.toString());
      assertEquals(recorded, promptTokens, request.toString());
    }
  }

  private CancelledRun cancelOneTurn(String pattern) throws Exception {
    String prompt = pattern + " gpt-4o-mini> ";
    return cancelOneTurn(pattern, (repl, screen) -> screen.length() > prompt.length() + 20);
  }

  /** Sends one long turn, presses Ctrl-C once {@code replying}, then saves the transcript. */
  private CancelledRun cancelOneTurn(String pattern, BiPredicate<ChatRepl, String> replying)
      throws Exception {
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    PipedOutputStream keys = new PipedOutputStream();
    Terminal terminal =
        new DumbTerminal("test", Terminal.TYPE_DUMB, new PipedInputStream(keys), screen, UTF_8);
    ChatRepl repl =
        new ChatRepl(
            terminal,
            new ChatSession(pattern, "gpt-4o-mini", 4),
            new ChatTransports(runtime.baseUri())::forPattern,
            null,
            List::of,
            Clock.systemUTC());
    String prompt = pattern + " gpt-4o-mini> ";
    Path transcript = dir.resolve(pattern + ".json");
    Thread loop = Thread.ofPlatform().start(repl::run);
    try {
      keys.write("write a long essay\n".getBytes(UTF_8));
      keys.flush();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> replying.test(repl, screen.toString(UTF_8)));

      terminal.raise(Signal.INT);

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> screen.toString(UTF_8).split(prompt, -1).length == 3);
      keys.write(("/save " + transcript + "\n/quit\n").getBytes(UTF_8));
      keys.flush();
      loop.join(10_000);
    } finally {
      keys.close();
      loop.join(10_000);
    }
    String out = screen.toString(UTF_8);
    assertTrue(out.contains("[cancelled]"), out);
    JsonNode turn = Json.mapper().readTree(transcript.toFile()).get("turns").get(0);
    assertTrue(turn.get("cancelled").asBoolean(), turn.toString());
    return new CancelledRun(
        turn.get("request_id").asText(),
        turn.get("prompt_tokens").asLong(),
        turn.get("cost").get("total_usd").asDouble(),
        turn.get("cost").get("so_far").asBoolean(),
        out);
  }

  private static double meteredUsd(String requestId) throws Exception {
    String body = "{\"request_ids\":[\"" + requestId + "\"]}";
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(runtime.baseUri().resolve("/metering/costs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return Json.mapper()
        .readTree(response.body())
        .path("data")
        .path("costs")
        .path(requestId)
        .path("total_usd")
        .asDouble();
  }

  private static JsonNode get(String path) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(runtime.baseUri().resolve(path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    return Json.mapper().readTree(response.body());
  }
}
