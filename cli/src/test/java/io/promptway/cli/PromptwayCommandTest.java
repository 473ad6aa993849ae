package io.promptway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.runtime.config.RuntimeConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PromptwayCommandTest {
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Promptway.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void helpListsTheSubcommands() {
    Run r = run("--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("serve"), r.out());
  }

  @Test
  void onlyTheCommandsThatStartTheRuntimeBeginItsSetUpEarly() {
    for (String command : new String[] {"serve", "run", "chat", "warm-up"}) {
      assertTrue(Promptway.startsRuntime(command), command);
    }
    for (String command : new String[] {"report", "recommend", "scenarios", "help", "nope"}) {
      assertFalse(Promptway.startsRuntime(command), command);
    }
  }

  @Test
  void anUnknownFlagIsAUsageErrorNamingTheFlag() {
    Run r = run("serve", "--prot", "80");
    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("--prot"), r.err());
    assertTrue(r.err().startsWith("[promptway]"), r.err());
  }

  @Test
  void aNonNumericPortIsAUsageError() {
    Run r = run("serve", "--port", "eighty");
    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("eighty"), r.err());
  }

  @Test
  void anOutOfRangePortIsRefusedBeforeAnythingStarts() {
    Run r = run("serve", "--port", "70000");
    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("--port must be 0-65535"), r.err());
  }

  @ParameterizedTest
  @CsvSource({
    "serve, 0, 0",
    "serve, -2, -2",
    "serve, 0.0, 0",
    "run chatbot, 0, 0",
    "run chatbot, -0.5, -0.5",
    "recommend chatbot, 0, 0",
    "chat, 0, 0",
    "serve, 1e9, 1000000000",
    "run chatbot, 20000, 20000",
    "chat, 0.0001, 1.0E-4"
  })
  void aTimeScaleOutsideWhatTheRuntimeAllowsIsRefusedNamingTheFlagAndTheRule(
      String command, String value, String shown) {
    List<String> args = new ArrayList<>(List.of(command.split(" ")));
    args.addAll(List.of("--time-scale", value));
    Run r = run(args.toArray(String[]::new));
    assertEquals(ExitCodes.USAGE, r.code(), r.err());
    assertEquals(
        "[promptway] --time-scale must be within 0.001..10000, got "
            + shown
            + System.lineSeparator(),
        r.err());
  }

  @Test
  void serveOnABusyPortSaysSoInOneLineAndExits() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      String port = String.valueOf(busy.getLocalPort());
      Run r =
          assertTimeoutPreemptively(
              Duration.ofSeconds(60),
              () ->
                  run(
                      "serve",
                      "--port",
                      port,
                      "--jdbc-url",
                      "jdbc:h2:mem:serve-" + UUID.randomUUID()));
      assertEquals(ExitCodes.RUNTIME_ERROR, r.code(), r.err());
      assertEquals(
          "[promptway] cannot listen on 127.0.0.1:"
              + port
              + ": the port is already in use (pick another with --port, or 0 for any free port)"
              + System.lineSeparator(),
          r.err());
      assertFalse(r.out().contains("listening"), r.out());
    }
  }

  @ParameterizedTest
  @CsvSource({
    "run chatbot --target, notaurl",
    "run chatbot --target, ftp://x",
    "recommend chatbot --target, http:///no-host",
    "chat --target, localhost:8080",
    "chat --url, ftp://127.0.0.1/"
  })
  void aTargetThatIsNotAnHttpUrlIsRefusedNamingTheFlagAndTheValue(String command, String value) {
    List<String> args = new ArrayList<>(List.of(command.split(" ")));
    args.add(value);
    Run r = run(args.toArray(String[]::new));
    assertEquals(ExitCodes.USAGE, r.code(), r.err());
    assertTrue(
        r.err()
            .startsWith(
                "[promptway] Invalid value for option '--target': '"
                    + value
                    + "' is not an http(s) URL with a host, e.g. http://127.0.0.1:8080"),
        r.err());
  }

  @Test
  void anUnknownCommandIsNamedWithTheCommandsThereAre() {
    Run r = run("bogus");
    assertEquals(ExitCodes.USAGE, r.code());
    assertEquals(
        "[promptway] unknown command 'bogus'; commands: serve, run, report, recommend, scenarios,"
            + " chat (see promptway --help)"
            + System.lineSeparator(),
        r.err());
  }

  @Test
  void anUnknownScenariosCommandIsNamedWithItsCommands() {
    Run r = run("scenarios", "lst");
    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(
        r.err()
            .startsWith(
                "[promptway] unknown command 'lst'; commands: list, show, validate (see promptway"
                    + " scenarios --help)"),
        r.err());
  }

  @Test
  void anExtraArgumentToACommandWithoutSubcommandsIsStillCalledUnmatched() {
    Run r = run("serve", "now");
    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("Unmatched argument at index 1: 'now'"), r.err());
  }

  @Test
  void aMissingConfigFileIsNamed() {
    Run r = run("serve", "--config", "does-not-exist.yaml");
    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("does-not-exist.yaml"), r.err());
  }

  @Test
  void aConfigFileWithSeveralProblemsHasEachOnALineOfItsOwnWithItsLine(@TempDir Path dir)
      throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("bad.yaml"), "server:\n  port: 70000\nqueue:\n  retention: 30d\n");

    Run r = run("serve", "--config", file.toString());

    assertEquals(ExitCodes.USAGE, r.code());
    assertEquals(
        List.of(
            "[promptway] " + file + ":2:9: 'server': port must be within 0..65535, got 70000",
            "[promptway] " + file + ":4:14: 'queue': retention must be within 1m..14d, got 30d"),
        r.err().lines().toList());
  }

  @Test
  void aBadValueFromAFlagNamesTheFlag() {
    Run r = run("serve", "--upstream", "ftp://x/v1");

    assertEquals(ExitCodes.USAGE, r.code());
    assertEquals(
        "[promptway] --upstream: 'llm': upstream must be an http:// or https:// URL with a host,"
            + " got 'ftp://x/v1'",
        r.err().strip());
  }

  @Test
  void anUnknownEnvironmentListsTheChoices() {
    Run r = run("serve", "--env", "staging");
    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(
        r.err().contains("--env: unknown environment 'staging' (known: development, production)"),
        r.err());
  }

  @Test
  void theEnvironmentIsGivenInLowerCaseAsDocumented() throws Exception {
    RuntimeOptions options = new RuntimeOptions();
    new picocli.CommandLine(options).parseArgs("--env", "production");
    assertEquals(RuntimeConfig.Environment.PRODUCTION, options.load(Map.of(), null).environment());
    new picocli.CommandLine(options).parseArgs("--env", "Development");
    assertEquals(RuntimeConfig.Environment.DEVELOPMENT, options.load(Map.of(), null).environment());
  }

  @Test
  void aCommandLineNamingASubcommandBuildsOnlyThatOneAndHelpStillKnowsThemAll() {
    assertEquals(Set.of("serve"), Promptway.commandLine("serve").getSubcommands().keySet());
    assertTrue(
        Promptway.commandLine("--help")
            .getSubcommands()
            .keySet()
            .containsAll(
                Set.of("serve", "run", "report", "recommend", "scenarios", "chat", "help")));
    Run help = run("help", "run");
    assertEquals(0, help.code(), help.err());
    assertTrue(help.out().contains("Usage: promptway run"), help.out());
  }

  @Test
  void theLaunchersNameTableAgreesWithEachSubcommandsOwnName() {
    Promptway.subcommandsByName()
        .forEach(
            (name, command) ->
                assertEquals(
                    name,
                    command.getAnnotation(picocli.CommandLine.Command.class).name(),
                    command.getName()));
    assertTrue(Promptway.startsRuntime("serve"));
    assertTrue(Promptway.startsRuntime("run"));
    assertFalse(Promptway.startsRuntime("scenarios"));
    assertFalse(Promptway.startsRuntime("help"));
    assertFalse(Promptway.startsRuntime("--version"));
  }
}
