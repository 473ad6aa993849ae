package io.promptway.cli.chat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.patterns.RunningRuntime;
import io.promptway.runtime.http.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jline.terminal.Terminal;
import org.jline.terminal.Terminal.Signal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The REPL over the embedded runtime's other patterns (skipped for a pattern the runtime does not
 * serve): context kept across pattern switches, Ctrl-C cancelling a live streamed reply, and the
 * queued and routed patterns answering with their metered cost.
 */
class ChatStreamingAcceptanceTest {
  private static RunningRuntime runtime;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    runtime = EmbeddedRuntimes.start(2);
  }

  @AfterAll
  static void stop() {
    if (runtime != null) runtime.close();
  }

  private static void assumeServed(String pattern) {
    assumeTrue(
        runtime.patterns().stream().anyMatch(p -> p.name().equals(pattern)),
        pattern + " is not served by this runtime yet");
  }

  private ChatRepl repl(Terminal terminal, String pattern) {
    ChatTransports transports = new ChatTransports(runtime.baseUri());
    return new ChatRepl(
        terminal,
        new ChatSession(pattern, "gpt-4o-mini"),
        transports::forPattern,
        null,
        List::of,
        Clock.systemUTC());
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "sse"})
  void everyTurnCarriesTheEarlierTurnsAcrossPatternSwitches(String pattern) throws Exception {
    assumeServed(pattern);
    assumeServed("sync");
    Path transcript = dir.resolve("t.json");
    String input =
        String.join(
            "\n",
            "first question",
            "second question",
            "/pattern sync",
            "third question",
            "/pattern " + pattern,
            "fourth question",
            "/save " + transcript,
            "");
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    Terminal terminal =
        new DumbTerminal(
            "test",
            Terminal.TYPE_DUMB,
            new ByteArrayInputStream(input.getBytes(UTF_8)),
            screen,
            UTF_8);

    repl(terminal, pattern).run();

    String out = screen.toString(UTF_8);
    assertFalse(out.contains("[error]"), out);
    JsonNode turns = Json.mapper().readTree(transcript.toFile()).get("turns");
    assertEquals(4, turns.size(), out);
    for (int i = 1; i < 4; i++) {
      long before = turns.get(i - 1).get("prompt_tokens").asLong();
      long now = turns.get(i).get("prompt_tokens").asLong();
      assertTrue(
          now > before + turns.get(i - 1).get("timing").get("tokens").asLong() / 2,
          "turn " + (i + 1) + " is billed for the earlier turns: " + turns);
    }
    for (JsonNode turn : turns) {
      assertTrue(turn.get("cost").get("by_component").get("llm").asDouble() > 0, turn.toString());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "sse"})
  void ctrlCDuringALiveReplyCancelsItAndTheNextTurnStillWorks(String pattern) throws Exception {
    assumeServed(pattern);
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    PipedOutputStream keys = new PipedOutputStream();
    Terminal terminal =
        new DumbTerminal("test", Terminal.TYPE_DUMB, new PipedInputStream(keys), screen, UTF_8);
    ChatRepl repl = repl(terminal, pattern);
    String prompt = pattern + " gpt-4o-mini> ";
    Thread loop = Thread.ofPlatform().start(repl::run);
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> screen.toString(UTF_8).equals(prompt));
      keys.write("write a long essay\n".getBytes(UTF_8));
      keys.flush();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> screen.toString(UTF_8).length() > prompt.length() + 20);

      terminal.raise(Signal.INT);

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> screen.toString(UTF_8).split(prompt, -1).length == 3);
      assertTrue(screen.toString(UTF_8).contains("[cancelled]"), screen.toString(UTF_8));
      keys.write("short one\n".getBytes(UTF_8));
      keys.flush();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> screen.toString(UTF_8).split(prompt, -1).length == 4);
      String out = screen.toString(UTF_8);
      assertFalse(out.contains("[error]"), out);
      assertEquals(2, out.split("ttft ", -1).length - 1, out);
    } finally {
      keys.write("/quit\n".getBytes(UTF_8));
      keys.close();
      loop.join(10_000);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"async", "events", "hybrid"})
  void queuedAndRoutedPatternsAnswerEachTurnWithItsCost(String pattern) throws Exception {
    assumeServed(pattern);
    Path transcript = dir.resolve(pattern + ".json");
    String input = "hello there\nand again\n/save " + transcript + "\n";
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    Terminal terminal =
        new DumbTerminal(
            "test",
            Terminal.TYPE_DUMB,
            new ByteArrayInputStream(input.getBytes(UTF_8)),
            screen,
            UTF_8);

    repl(terminal, pattern).run();

    String out = screen.toString(UTF_8);
    assertFalse(out.contains("[error]"), out);
    JsonNode turns = Json.mapper().readTree(transcript.toFile()).get("turns");
    assertEquals(2, turns.size(), out);
    for (JsonNode turn : turns) {
      assertFalse(turn.get("reply").asText().isBlank(), turn.toString());
      assertTrue(turn.get("cost").get("total_usd").asDouble() > 0, turn.toString());
    }
    assertTrue(
        turns.get(1).get("prompt_tokens").asLong() > turns.get(0).get("prompt_tokens").asLong(),
        "the second turn carries the first: " + turns);
    if (pattern.equals("hybrid")) assertTrue(out.contains("[routed to "), out);
  }
}
