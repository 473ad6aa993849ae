package io.promptway.cli.chat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.runtime.gateway.ChatMessage;
import io.promptway.runtime.http.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.Terminal.Signal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatReplTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-26T21:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  private final ByteArrayOutputStream screen = new ByteArrayOutputStream();

  private String runPiped(String input, Function<String, ChatTransport> transports, Path history)
      throws IOException {
    Terminal terminal =
        new DumbTerminal(
            "test",
            Terminal.TYPE_DUMB,
            new ByteArrayInputStream(input.getBytes(UTF_8)),
            screen,
            UTF_8);
    int code =
        new ChatRepl(
                terminal,
                new ChatSession("sync", "gpt-4o-mini"),
                transports,
                history,
                () -> List.of("gpt-4o-mini", "gpt-4o"),
                CLOCK)
            .run();
    assertEquals(0, code);
    return screen.toString(UTF_8);
  }

  @Test
  void printsTokensInOrderAsTheyArriveAndThenTheStatsLine() throws IOException {
    FakeTransport fake = FakeTransport.answering("sync", "Alpha", " beta", " gamma");

    String out = runPiped("hello\n", p -> fake, null);

    int alpha = out.indexOf("Alpha beta gamma");
    int stats = out.indexOf("ttft ");
    assertTrue(alpha >= 0, out);
    assertTrue(stats > alpha, "the stats line follows the reply: " + out);
    String statsLine = out.substring(stats, out.indexOf('\n', stats));
    assertTrue(statsLine.contains("tok/s"), statsLine);
    assertTrue(statsLine.contains("total "), statsLine);
    assertTrue(statsLine.contains("$0.000300 = llm $0.000200 + function $0.000090"), statsLine);
  }

  @Test
  void pipedInputGetsOnePlainReplyPerLineWithoutAnsiEscapes() throws IOException {
    FakeTransport fake = FakeTransport.answering("sync", "ok");

    String out = runPiped("one\ntwo\nthree\n", p -> fake, null);

    assertFalse(out.contains("\u001b"), "no ANSI escapes: " + out);
    assertEquals(3, fake.requests.size());
    assertEquals(3, out.split("ttft ", -1).length - 1, out);
    assertEquals(
        List.of("one", "two", "three"), fake.requests.stream().map(TurnRequest::prompt).toList());
    assertTrue(out.startsWith("sync gpt-4o-mini> "), out);
  }

  @Test
  void patternSwitchKeepsTheConversationForTheNextTurn() throws IOException {
    FakeTransport sync = FakeTransport.answering("sync", "Paris");
    FakeTransport sse = FakeTransport.answering("sse", "About 2 million");
    Map<String, ChatTransport> byPattern = Map.of("sync", sync, "sse", sse);

    String out =
        runPiped(
            "capital of France?\n/pattern sse\nhow many people live there?\n",
            byPattern::get,
            null);

    assertTrue(out.contains("sse gpt-4o-mini> "), "the prompt shows the new pattern: " + out);
    assertEquals(1, sse.requests.size());
    TurnRequest second = sse.requests.get(0);
    assertEquals(
        List.of(
            ChatMessage.user("capital of France?"),
            ChatMessage.assistant("Paris"),
            ChatMessage.user("how many people live there?")),
        second.messages());
  }

  @Test
  void modelCommandChangesTheModelOfTheNextTurnAndThePrompt() throws IOException {
    FakeTransport fake = FakeTransport.answering("sync", "ok");

    String out = runPiped("/model gpt-4o\nhi\n", p -> fake, null);

    assertEquals("gpt-4o", fake.requests.get(0).model());
    assertTrue(out.contains("sync gpt-4o> "), out);
  }

  @Test
  void anUnknownModelIsRefusedAndTheTurnKeepsTheCurrentOne() throws IOException {
    FakeTransport fake = FakeTransport.answering("sync", "ok");

    String out = runPiped("/model gpt-5-turbo\nhi\n", p -> fake, null);

    assertTrue(
        out.contains("unknown model 'gpt-5-turbo' (known: gpt-4o-mini, gpt-4o); still gpt-4o-mini"),
        out);
    assertEquals("gpt-4o-mini", fake.requests.get(0).model());
  }

  @Test
  void saveWhereAFileStandsInTheWaySaysSoAndKeepsTheSession() throws IOException {
    FakeTransport fake = FakeTransport.answering("sync", "Hi");
    Path blocker = Files.writeString(dir.resolve("blocker"), "a file");

    String out =
        runPiped("hello\n/save " + blocker.resolve("chat.json") + "\nagain\n", p -> fake, null);

    assertTrue(
        out.contains(
            "cannot save to "
                + blocker.resolve("chat.json")
                + ": a file of that name is in the way"),
        out);
    assertEquals(2, fake.requests.size(), "the session went on: " + out);
  }

  @Test
  void saveWritesTheTranscriptWithTurnsTimingsAndCostAsJson() throws IOException {
    FakeTransport fake = FakeTransport.answering("sync", "Hi", "!");
    Path file = dir.resolve("out/chat.json");

    runPiped("hello\nagain\n/save " + file + "\n", p -> fake, null);

    JsonNode json = Json.mapper().readTree(file.toFile());
    assertEquals("2026-11-26T21:00:00Z", json.get("saved_at").asText());
    JsonNode turns = json.get("turns");
    assertEquals(2, turns.size());
    JsonNode first = turns.get(0);
    assertEquals("hello", first.get("prompt").asText());
    assertEquals("Hi!", first.get("reply").asText());
    assertEquals("sync", first.get("pattern").asText());
    assertEquals("req-1", first.get("request_id").asText());
    assertTrue(first.get("timing").get("ttft_ms").isNumber());
    assertTrue(
        first.get("timing").get("total_ms").asDouble()
            >= first.get("timing").get("ttft_ms").asDouble());
    assertEquals(2, first.get("timing").get("tokens").asLong());
    assertEquals(0.0002, first.get("cost").get("by_component").get("llm").asDouble(), 1e-12);
    assertEquals(0.0006, json.get("total_cost_usd").asDouble(), 1e-12);
  }

  @Test
  void costAndStatsSumEveryTurnByComponent() throws IOException {
    FakeTransport fake = FakeTransport.answering("sync", "ok");

    String out = runPiped("a\nb\n/cost\n/stats\n", p -> fake, null);

    assertTrue(out.contains("session total $0.000600 over 2 turns"), out);
    assertTrue(out.contains("llm       $0.000400"), out);
    assertTrue(out.contains("function  $0.000180"), out);
    assertTrue(out.contains("  1  sync"), out);
    assertTrue(out.contains("  2  sync"), out);
  }

  @Test
  void trailingBackslashContinuesTheInputOnTheNextLine() throws IOException {
    FakeTransport fake = FakeTransport.answering("sync", "ok");

    runPiped("first line\\\nsecond line\n", p -> fake, null);

    assertEquals(1, fake.requests.size());
    assertEquals("first line\nsecond line", fake.requests.get(0).prompt());
  }

  @Test
  void inputThatEndsInAContinuationStillSendsWhatCameBeforeIt() throws IOException {
    FakeTransport fake = FakeTransport.answering("sync", "ok");

    runPiped("first line\\\nsecond line\\\n", p -> fake, null);

    assertEquals(1, fake.requests.size());
    assertEquals("first line\nsecond line", fake.requests.get(0).prompt());
  }

  @Test
  void clearForgetsTheConversation() throws IOException {
    FakeTransport fake = FakeTransport.answering("sync", "ok");

    runPiped("a\n/clear\nb\n", p -> fake, null);

    assertEquals(List.of(ChatMessage.user("b")), fake.requests.get(1).messages());
  }

  @Test
  void inputHistoryIsPersistedToTheHistoryFile() throws IOException {
    FakeTransport fake = FakeTransport.answering("sync", "ok");
    Path history = dir.resolve("chat_history");

    runPiped("remember me\n/stats\n", p -> fake, history);

    String saved = Files.readString(history);
    assertTrue(saved.contains("remember me"), saved);
    assertTrue(saved.contains("/stats"), saved);
  }

  @Test
  void transportFailureIsReportedAndTheReplKeepsGoing() throws IOException {
    FakeTransport fake = FakeTransport.answering("sync", "ok");
    int[] calls = {0};
    ChatTransport failingOnce =
        new ChatTransport() {
          @Override
          public String pattern() {
            return "sync";
          }

          @Override
          public ChatCall start(TurnRequest request, TokenListener listener) {
            if (calls[0]++ == 0) throw new IllegalStateException("connection refused");
            return fake.start(request, listener);
          }
        };

    String out = runPiped("a\nb\n", p -> failingOnce, null);

    assertTrue(out.contains("connection refused"), out);
    assertEquals(1, fake.requests.size());
    assertEquals(List.of(ChatMessage.user("b")), fake.requests.get(0).messages());
  }

  @Test
  void aFailedTurnIsRecordedWithWhatItsRequestWasBilledAndLeftOutOfTheConversation()
      throws IOException {
    FakeTransport fake = FakeTransport.answering("sync", "ok");
    int[] calls = {0};
    ChatTransport failingOnce =
        new ChatTransport() {
          @Override
          public String pattern() {
            return "sync";
          }

          @Override
          public ChatCall start(TurnRequest request, TokenListener listener) {
            if (calls[0]++ > 0) return fake.start(request, listener);
            var result = new java.util.concurrent.CompletableFuture<TurnResult>();
            ChatCall call = new ChatCall(result, () -> {});
            call.requestId("req-failed");
            result.completeExceptionally(
                new ChatTransportException("HTTP 502 MODEL_ERROR: the model failed"));
            return call;
          }

          @Override
          public TurnResult failedBill(String requestId) {
            assertEquals("req-failed", requestId);
            return new TurnResult(
                requestId, "", "error", 9, 0, 0.0000085, Map.of("gateway", 0.0000035), false);
          }
        };

    String out = runPiped("a\nb\n/stats\n/cost\n", p -> failingOnce, null);

    assertTrue(out.contains("HTTP 502 MODEL_ERROR: the model failed"), out);
    assertTrue(out.contains("session total $0.000308 over 2 turns"), out);
    assertTrue(out.contains("failed"), out);
    assertEquals(List.of(ChatMessage.user("b")), fake.requests.get(0).messages());
  }

  @Test
  void aTurnAnsweredByAnotherModelSaysSoAndIsRecordedUnderThatModel() throws IOException {
    ChatTransport routed =
        new ChatTransport() {
          @Override
          public String pattern() {
            return "sync";
          }

          @Override
          public ChatCall start(TurnRequest request, TokenListener listener) {
            listener.onToken("ok");
            var done =
                new TurnResult("req-1", "ok", "stop", 3, 1, 0.0001, Map.of(), false)
                    .withAnsweredBy("gpt-4o");
            return new ChatCall(
                java.util.concurrent.CompletableFuture.completedFuture(done), () -> {});
          }
        };

    String out = runPiped("hi\n/stats\n", p -> routed, null);

    assertTrue(out.contains("[answered and billed by gpt-4o, in place of gpt-4o-mini]"), out);
    assertTrue(out.contains("  1  sync       gpt-4o    "), out);
  }

  @Test
  void ctrlCDuringAReplyCancelsItAndReturnsToThePrompt() throws Exception {
    FakeTransport slow = new FakeTransport("sse", List.of("partial", " never"), true);
    PipedOutputStream keys = new PipedOutputStream();
    Terminal terminal =
        new DumbTerminal("test", Terminal.TYPE_DUMB, new PipedInputStream(keys), screen, UTF_8);
    ChatRepl repl =
        new ChatRepl(
            terminal, new ChatSession("sse", "gpt-4o-mini"), p -> slow, null, List::of, CLOCK);
    Thread loop = Thread.ofPlatform().start(repl::run);
    try {
      keys.write("tell me a long story\n".getBytes(UTF_8));
      keys.flush();
      assertTrue(slow.firstTokenSent.await(5, TimeUnit.SECONDS));
      await().atMost(Duration.ofSeconds(5)).until(() -> repl.currentCall() != null);

      terminal.raise(Signal.INT);

      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> screen.toString(UTF_8).split("sse gpt-4o-mini> ", -1).length == 3);
      assertEquals(1, slow.cancels.get());
      String out = screen.toString(UTF_8);
      assertTrue(out.contains("partial"), out);
      assertTrue(out.contains("[cancelled]"), out);
      assertFalse(out.contains("never"), out);

      keys.write("/stats\n/quit\n".getBytes(UTF_8));
      keys.flush();
      loop.join(5000);
      assertFalse(loop.isAlive(), "the REPL ends after /quit");
      assertTrue(
          screen.toString(UTF_8).contains("cancelled\n"), "the turn is recorded as cancelled");
    } finally {
      keys.close();
      loop.join(5000);
    }
  }

  @Test
  void ctrlCWhileTheTransportIsStillConnectingCancelsTheTurnOnceItStarts() throws Exception {
    FakeTransport slow = new FakeTransport("websocket", List.of("late", " tokens"), true);
    CountDownLatch connected = new CountDownLatch(1);
    slow.connected = connected;
    PipedOutputStream keys = new PipedOutputStream();
    Terminal terminal =
        new DumbTerminal("test", Terminal.TYPE_DUMB, new PipedInputStream(keys), screen, UTF_8);
    ChatRepl repl =
        new ChatRepl(
            terminal,
            new ChatSession("websocket", "gpt-4o-mini"),
            p -> slow,
            null,
            List::of,
            CLOCK);
    Thread loop = Thread.ofPlatform().start(repl::run);
    try {
      keys.write("hello\n".getBytes(UTF_8));
      keys.flush();
      assertTrue(slow.startEntered.await(5, TimeUnit.SECONDS));

      terminal.raise(Signal.INT);
      connected.countDown();

      await().atMost(Duration.ofSeconds(5)).until(() -> slow.cancels.get() == 1);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> screen.toString(UTF_8).contains("[cancelled]"));
    } finally {
      keys.write("/quit\n".getBytes(UTF_8));
      keys.close();
      loop.join(5000);
    }
  }

  @Test
  void aTerminalReportingNoWidthStillShowsThePromptAndTheTypedLine() throws Exception {
    FakeTransport fake = FakeTransport.answering("sync", "ok");
    PipedOutputStream keys = new PipedOutputStream();
    Terminal terminal =
        TerminalBuilder.builder()
            .system(false)
            .type("xterm-256color")
            .streams(new PipedInputStream(keys), screen)
            .size(new Size(0, 0))
            .build();
    ChatRepl repl =
        new ChatRepl(
            terminal, new ChatSession("sync", "gpt-4o-mini"), p -> fake, null, List::of, CLOCK);
    Thread loop = Thread.ofPlatform().start(repl::run);
    try {
      keys.write("hi\r".getBytes(UTF_8));
      keys.flush();
      await().atMost(Duration.ofSeconds(5)).until(() -> fake.requests.size() == 1);
      await().atMost(Duration.ofSeconds(5)).until(() -> screen.toString(UTF_8).contains("ttft "));
      String out = screen.toString(UTF_8);
      assertTrue(out.contains("sync gpt-4o-mini> hi"), out);
      assertEquals(ChatRepl.FALLBACK_COLUMNS, terminal.getWidth());
    } finally {
      keys.write("/quit\r".getBytes(UTF_8));
      keys.close();
      loop.join(5000);
      terminal.close();
    }
  }

  @Test
  void ctrlCAtAnEmptyPromptExits() throws Exception {
    FakeTransport fake = FakeTransport.answering("sync", "ok");
    PipedOutputStream keys = new PipedOutputStream();
    Terminal terminal =
        new DumbTerminal("test", Terminal.TYPE_DUMB, new PipedInputStream(keys), screen, UTF_8);
    ChatRepl repl =
        new ChatRepl(
            terminal, new ChatSession("sync", "gpt-4o-mini"), p -> fake, null, List::of, CLOCK);
    Thread loop = Thread.ofPlatform().start(repl::run);
    try {
      await().atMost(Duration.ofSeconds(5)).until(() -> screen.toString(UTF_8).endsWith("> "));

      terminal.raise(Signal.INT);

      loop.join(5000);
      assertFalse(loop.isAlive(), "Ctrl-C at an empty prompt ends the REPL");
      assertTrue(fake.requests.isEmpty());
    } finally {
      keys.close();
      loop.join(5000);
    }
  }
}
