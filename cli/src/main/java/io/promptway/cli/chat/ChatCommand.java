package io.promptway.cli.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.cli.ExitCodes;
import io.promptway.cli.LogSetup;
import io.promptway.cli.RuntimeOptions;
import io.promptway.cli.StartsRuntime;
import io.promptway.cli.TargetUrl;
import io.promptway.patterns.PromptwayServer;
import io.promptway.patterns.RunningRuntime;
import io.promptway.runtime.config.RuntimeConfig;
import io.promptway.runtime.http.Json;
import java.io.Console;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.DumbTerminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code promptway chat}: an interactive REPL that streams tokens over any pattern, against a
 * runtime at {@code --target} or one it starts itself (in-memory state, a free port).
 */
@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    description = {
      "Chat with the emulated model over any pattern, streaming tokens as they arrive.",
      "Each reply is followed by time to first token, tokens/s, total latency and its cost by"
          + " component. Type /help inside for commands. Piped input is read one turn per line.",
      "A runtime that requires API keys gets the one in $PROMPTWAY_API_KEY (x-api-key)."
    })
public final class ChatCommand implements Callable<Integer>, StartsRuntime {
  /** A gateway API key for runtimes that require one; secrets come only from the environment. */
  static final String API_KEY_ENV = "PROMPTWAY_API_KEY";

  private static final Logger HELIDON_LOG = Logger.getLogger("io.helidon");

  @Option(
      names = "--pattern",
      paramLabel = "NAME",
      defaultValue = "websocket",
      description = "websocket, sse, sync, async, events or hybrid. Default: ${DEFAULT-VALUE}.")
  String pattern;

  @Option(
      names = {"--target", "--url"},
      converter = TargetUrl.class,
      paramLabel = "URL",
      description =
          "A running runtime to talk to (as `run --target` takes it); without it the chat starts"
              + " one itself.")
  URI url;

  @Option(
      names = "--model",
      paramLabel = "M",
      description = "Model to ask. Default: the runtime's default model.")
  String model;

  @Option(
      names = "--history-file",
      paramLabel = "FILE",
      description = "Where input history persists. Default: ~/.promptway/chat_history.")
  Path historyFile;

  @Option(
      names = "--plain",
      description = "Plain output without ANSI escapes, as when input is piped.")
  boolean plain;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description =
          "Port of the runtime the chat starts; not used with --target. Default: any free port.")
  Integer port;

  @Mixin RuntimeOptions runtimeOptions;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (!ChatRepl.PATTERNS.contains(pattern)) {
      throw new ExitCodes.Failure(
          ExitCodes.USAGE,
          "--pattern must be one of "
              + String.join(", ", ChatRepl.PATTERNS)
              + ", got '"
              + pattern
              + "'");
    }
    double timeScale = 1;
    if (url != null) {
      refuseEmbeddedRuntimeOptions();
      HttpResponse<String> health = reach(url);
      timeScale = timeScaleOf(health.statusCode(), health.body(), runtimeOptions.timeScale());
      Double given = runtimeOptions.timeScale();
      if (given != null && given != timeScale) {
        throw new ExitCodes.Failure(
            ExitCodes.USAGE,
            "--time-scale "
                + plain(given)
                + " does not match the target's "
                + plain(timeScale)
                + " (its GET /health); leave it out, or start the target with it");
      }
    }
    RunningRuntime runtime = null;
    URI base = url;
    String defaultModel = "gpt-4o-mini";
    List<String> models = new ArrayList<>();
    try {
      if (base == null) {
        HELIDON_LOG.setLevel(Level.WARNING); // its start/stop lines would interleave with the chat
        RuntimeConfig config =
            runtimeOptions.load(
                Map.of(
                    "server.port",
                    0,
                    "state.jdbc_url",
                    "jdbc:h2:mem:chat-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"),
                port);
        LogSetup.quietEmbeddedRuntime();
        runtime = PromptwayServer.start(config, notice -> {});
        base = runtime.baseUri();
        defaultModel = config.llm().defaultModel();
        timeScale = config.timeScale();
        models.addAll(config.llm().models().keySet());
      }
      URI modelsBase = base;
      Supplier<List<String>> modelNames =
          models.isEmpty() ? memoize(() -> fetchModels(modelsBase)) : () -> models;
      if (model != null) {
        List<String> known = modelNames.get(); // empty when the runtime did not say
        if (!known.isEmpty() && !known.contains(model))
          throw ExitCodes.Failure.unknown("--model", "model", model, known);
      }
      boolean typed = stdinIsTerminal();
      boolean interactive = !plain && typed;
      try (Terminal terminal = terminal(interactive)) {
        if (interactive) {
          terminal.writer().println("Runtime: " + base);
        }
        ChatTransports transports = new ChatTransports(base, System.getenv(API_KEY_ENV), timeScale);
        ChatSession session =
            new ChatSession(pattern, model == null ? defaultModel : model, timeScale);
        return new ChatRepl(
                terminal,
                session,
                transports::forPattern,
                historyFile(interactive),
                modelNames,
                Clock.systemUTC(),
                typed)
            .run();
      }
    } finally {
      if (runtime != null) runtime.close();
    }
  }

  private static String plain(double v) {
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  /** The options that configure the runtime the chat starts mean nothing to a target. */
  private void refuseEmbeddedRuntimeOptions() {
    var parsed = spec.commandLine().getParseResult();
    for (String option :
        List.of(
            "--config",
            "--host",
            "--db",
            "--jdbc-url",
            "--env",
            "--upstream",
            "--seed",
            "--port")) {
      if (parsed.hasMatchedOption(option)) {
        throw new ExitCodes.Failure(
            ExitCodes.USAGE,
            option
                + " configures the runtime the chat starts itself; with --target the target"
                + " keeps its own settings");
      }
    }
  }

  /**
   * Refuses a target that cannot be reached before the first prompt, not at the first turn; returns
   * its answer to {@code GET /health}.
   */
  private static HttpResponse<String> reach(URI target) {
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      return TargetUrl.reach(
          http,
          target,
          "start one with ./promptway serve, or leave --target out and the chat starts its own");
    }
  }

  /**
   * The target's time scale from its {@code GET /health} ({@code time_scale}); {@code given} (the
   * user's --time-scale) or 1 when the answer has none, as a deployment without the route.
   */
  static double timeScaleOf(int healthStatus, String healthBody, Double given) {
    double otherwise = given == null ? 1 : given;
    if (healthStatus != 200) return otherwise;
    try {
      JsonNode scale = Json.mapper().readTree(healthBody).path("time_scale");
      return scale.isNumber() && scale.asDouble() > 0 ? scale.asDouble() : otherwise;
    } catch (IOException | RuntimeException e) {
      return otherwise;
    }
  }

  private Path historyFile(boolean interactive) throws IOException {
    Path file = historyFile;
    if (file == null) {
      if (!interactive) return null; // scripted input stays out of the user's history
      file = Path.of(System.getProperty("user.home"), ".promptway", "chat_history");
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    return file;
  }

  /** A system terminal for people; a dumb one over stdin/stdout for pipes and scripts. */
  static Terminal terminal(boolean interactive) throws IOException {
    if (interactive) {
      // The exec provider (stty): JLine's native providers (ffm, jni) write back the terminal's
      // settings from a blank termios, which leaves the line at speed 0 baud on exit (jline3#2170)
      return TerminalBuilder.builder().name("promptway").system(true).provider("exec").build();
    }
    // A bare dumb terminal: no echo of piped input, no line-discipline translation, no escapes.
    return new DumbTerminal(
        "promptway", Terminal.TYPE_DUMB, System.in, System.out, StandardCharsets.UTF_8);
  }

  /** True when stdin and stdout are a terminal (Java 22+ reports a console even when piped). */
  static boolean stdinIsTerminal() {
    Console console = System.console();
    if (console == null) return false;
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // Java 21: a console exists only for a terminal
    }
  }

  private static List<String> fetchModels(URI base) {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(base.resolve("llm/v1/models"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      List<String> names = new ArrayList<>();
      for (JsonNode m : Json.mapper().readTree(response.body()).path("data")) {
        names.add(m.path("id").asText());
      }
      return names;
    } catch (IOException | RuntimeException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  private static <T> Supplier<T> memoize(Supplier<T> supplier) {
    return new Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) value = supplier.get();
        return value;
      }
    };
  }
}
