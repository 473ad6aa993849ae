package io.promptway.cli.chat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.cli.Promptway;
import io.promptway.patterns.RunningRuntime;
import io.promptway.runtime.http.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The REPL against the real embedded runtime, over the patterns it serves. */
class ChatAcceptanceTest {
  private static RunningRuntime runtime;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    runtime = EmbeddedRuntimes.start(5);
  }

  @AfterAll
  static void stop() {
    if (runtime != null) runtime.close();
  }

  @Test
  void syncTurnsShowTheReplyTimingsAndMeteredCostAndCarryTheContext() throws Exception {
    Path transcript = dir.resolve("chat.json");

    String out =
        repl("what is SSE?\nand WebSocket?\n/save " + transcript + "\n", "sync", runtime.baseUri());

    assertFalse(out.contains("[error]"), out);
    assertEquals(2, out.split("ttft ", -1).length - 1, out);
    assertTrue(out.contains("llm $"), "the stats line breaks the cost down: " + out);
    JsonNode turns = Json.mapper().readTree(transcript.toFile()).get("turns");
    assertEquals(2, turns.size());
    for (JsonNode turn : turns) {
      assertFalse(turn.get("reply").asText().isBlank());
      assertTrue(turn.get("cost").get("total_usd").asDouble() > 0, turn.toString());
      assertTrue(turn.get("cost").get("by_component").get("llm").asDouble() > 0, turn.toString());
      assertTrue(turn.get("timing").get("tokens").asLong() > 0, turn.toString());
    }
    // The second turn carried the first as context, so it is billed for the first reply too.
    assertTrue(
        turns.get(1).get("prompt_tokens").asLong()
            > turns.get(0).get("timing").get("tokens").asLong(),
        turns.toString());
  }

  @Test
  void chatCommandStartsItsOwnRuntimeAndAnswersPipedInputOneLineAtATime() {
    String out = chatPiped("hello\nagain\n", "chat", "--pattern", "sync", "--time-scale", "5");

    assertFalse(out.contains("\u001b"), "piped output has no ANSI escapes: " + out);
    assertEquals(2, out.split("ttft ", -1).length - 1, out);
    assertFalse(out.contains("gpt-4o-mini>"), "no prompt runs into the replies: " + out);
  }

  @Test
  void chatCommandTalksToARunningRuntimeGivenAsTargetLikeRun() {
    String out =
        chatPiped("hello\n", "chat", "--pattern", "sync", "--target", runtime.baseUri().toString());

    assertEquals(1, out.split("ttft ", -1).length - 1, out);
    assertFalse(out.contains("[error]"), out);
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "sse", "sync"})
  void aRuntimeThatGoesAwayIsSaidInWordsOverEveryTransport(String pattern) throws Exception {
    String out = repl("hello\n", pattern, URI.create("http://127.0.0.1:" + closedPort()));

    assertTrue(out.contains("[error] cannot connect to the runtime (is it running?)"), out);
  }

  @Test
  void aRefusedWebSocketUpgradeIsSaidWithTheGatewaysAnswer() throws Exception {
    try (RunningRuntime keyed =
        EmbeddedRuntimes.start(
            5,
            Map.of(
                "gateway.api_keys.required",
                true,
                "gateway.api_keys.keys",
                List.of(Map.of("name", "web", "key", "k-7d1e9f")),
                "gateway.usage_plans",
                Map.of()))) {
      String out = repl("hello\n", "websocket", new ChatTransports(keyed.baseUri(), "wrong", 1));

      assertTrue(out.contains("[error] HTTP 403 INVALID_API_KEY"), out);
    }
  }

  /** Runs the REPL over piped {@code input} against {@code target}; returns what it printed. */
  private static String repl(String input, String pattern, URI target) throws IOException {
    return repl(input, pattern, new ChatTransports(target));
  }

  private static String repl(String input, String pattern, ChatTransports transports)
      throws IOException {
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    Terminal terminal =
        new DumbTerminal(
            "test",
            Terminal.TYPE_DUMB,
            new ByteArrayInputStream(input.getBytes(UTF_8)),
            screen,
            UTF_8);
    new ChatRepl(
            terminal,
            new ChatSession(pattern, "gpt-4o-mini"),
            transports::forPattern,
            null,
            List::of,
            Clock.systemUTC())
        .run();
    return screen.toString(UTF_8);
  }

  @Test
  void aTargetNothingListensOnIsRefusedBeforeThePromptNamingIt() throws Exception {
    String target = "http://127.0.0.1:" + closedPort();
    InputStream stdin = System.in;
    PrintStream stdout = System.out;
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    int code;
    try {
      System.setIn(new ByteArrayInputStream("hello\n".getBytes(UTF_8)));
      System.setOut(new PrintStream(screen, true, UTF_8));
      code =
          Promptway.execute(
              new String[] {"chat", "--url", target},
              new PrintWriter(new StringWriter()),
              new PrintWriter(err));
    } finally {
      System.setIn(stdin);
      System.setOut(stdout);
    }

    assertEquals(2, code, err.toString());
    assertEquals(
        "[promptway] --target "
            + target
            + ": cannot reach it (connection refused); start one with ./promptway serve, or leave"
            + " --target out and the chat starts its own"
            + System.lineSeparator(),
        err.toString());
    assertEquals("", screen.toString(UTF_8), "no prompt before the check");
  }

  @Test
  void theHelpSaysPortIsForTheRuntimeTheChatStartsAndAnyFreeOneByDefault() {
    StringWriter out = new StringWriter();
    Promptway.execute(
        new String[] {"chat", "--help"}, new PrintWriter(out), new PrintWriter(new StringWriter()));

    String help = out.toString().replaceAll("\\s+", " ");
    assertTrue(
        help.contains(
            "--port=PORT Port of the runtime the chat starts; not used with --target. Default: any"
                + " free port."),
        help);
    assertFalse(help.contains("8080"), help);
  }

  private static int closedPort() throws Exception {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Runs the chat command on {@code input} as piped stdin; returns what it printed. */
  private static String chatPiped(String input, String... args) {
    InputStream stdin = System.in;
    PrintStream stdout = System.out;
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    int code;
    try {
      System.setIn(new ByteArrayInputStream(input.getBytes(UTF_8)));
      System.setOut(new PrintStream(screen, true, UTF_8));
      code = Promptway.execute(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
    } finally {
      System.setIn(stdin);
      System.setOut(stdout);
    }
    assertEquals(0, code, err.toString());
    return screen.toString(UTF_8);
  }

  /** Runs a command line that should be refused; returns what it wrote to stderr. */
  private static String usageError(String... args) {
    StringWriter err = new StringWriter();
    int code = Promptway.execute(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
    assertEquals(2, code, err.toString());
    return err.toString();
  }

  @Test
  void optionsForTheRuntimeTheChatStartsAreRefusedWithATarget() {
    String target = runtime.baseUri().toString();

    String config = usageError("chat", "--target", target, "--config", "my.yaml");
    String seed = usageError("chat", "--target", target, "--seed", "3");
    String scale = usageError("chat", "--target", target, "--time-scale", "50");

    assertTrue(config.contains("--config configures the runtime the chat starts itself"), config);
    assertTrue(seed.contains("--seed configures the runtime the chat starts itself"), seed);
    assertTrue(
        scale.contains("--time-scale 50 does not match the target's 5 (its GET /health)"), scale);
  }

  @Test
  void unknownPatternIsAUsageError() {
    String err = usageError("chat", "--pattern", "carrier-pigeon", "--url", "http://127.0.0.1:9");

    assertTrue(err.contains("--pattern must be one of websocket, sse"), err);
  }

  @Test
  void anUnknownModelIsAUsageErrorListingTheRuntimesModels() {
    String err = usageError("chat", "--pattern", "sync", "--model", "gpt-5-turbo");

    assertTrue(err.contains("--model: unknown model 'gpt-5-turbo' (known: "), err);
    assertTrue(err.contains("gpt-4o-mini"), err);
  }
}
