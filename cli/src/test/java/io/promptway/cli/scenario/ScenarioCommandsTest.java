package io.promptway.cli.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.promptway.cli.Promptway;
import io.promptway.patterns.PromptwayServer;
import io.promptway.patterns.RunningRuntime;
import io.promptway.runtime.config.ConfigLoader;
import io.promptway.scenarios.model.ScenarioReader;
import io.promptway.scenarios.result.CostSummary;
import io.promptway.scenarios.result.Pacing;
import io.promptway.scenarios.result.ResultJson;
import io.promptway.scenarios.result.RunResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class ScenarioCommandsTest {
  @TempDir Path dir;

  record Outcome(int code, String out, String err) {}

  private static Outcome run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Promptway.execute(args, new PrintWriter(out), new PrintWriter(err));
    return new Outcome(code, out.toString(), err.toString());
  }

  private Path scenario(String name, String assertion) throws Exception {
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(
        file,
        """
        name: %s
        use_case: simple-mvp
        time_scale: 10
        load: {stages: [{type: constant, rate: 5, duration: 2s}]}
        mix: [{weight: 1, prompt_tokens: 20, output_tokens: 10}]
        llm: {model: gpt-4o-mini, ttft: 100ms, inter_token: 2ms}
        patterns: [sync]
        assertions: ['%s']
        """
            .formatted(name, assertion));
    return file;
  }

  @Test
  void validateNamesFileLineAndColumnAndExitsWithTwo() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(
        bad,
        "name: bad\nload:\n  stages:\n    - type: poisson\n      rate: -5\n      duration: 1m\nmix: [{weight: 1}]\n");
    Outcome o = run("scenarios", "validate", bad.toString());
    assertEquals(2, o.code());
    assertTrue(o.err().contains("rate must be positive, got -5 at " + bad + ":5:13"), o.err());
  }

  @Test
  void validateOfAFolderChecksEveryYamlFileInIt() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("suite"));
    Files.writeString(
        folder.resolve("a.yaml"),
        "name: a\nload: {stages: [{type: constant, rate: 1, duration: 10s}]}\nmix: [{weight: 1}]\n");
    Files.writeString(
        folder.resolve("b.yaml"),
        "name: b\nload: {stages: [{type: constant, rate: -1, duration: 10s}]}\nmix: [{weight: 1}]\n");
    Files.writeString(folder.resolve("notes.txt"), "not a scenario");

    Outcome o = run("scenarios", "validate", folder.toString());

    assertEquals(2, o.code(), o.err());
    assertTrue(o.out().contains("ok  " + folder.resolve("a.yaml")), o.out());
    assertTrue(
        o.err().contains("rate must be positive, got -1 at " + folder.resolve("b.yaml")), o.err());
    assertFalse(o.err().contains("notes.txt"), o.err());
  }

  @Test
  void validateReportsEveryFileWhenSomeCannotBeReadOrFound() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("mixed"));
    Files.write(
        folder.resolve("a-latin1.yaml"), "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    Files.writeString(
        folder.resolve("b-ok.yaml"),
        "name: b\nload: {stages: [{type: constant, rate: 1, duration: 10s}]}\nmix: [{weight: 1}]\n");
    Files.writeString(folder.resolve("c-empty.yaml"), "");
    Path missing = dir.resolve("nope.yaml");
    Path ok = scenario("fine", "error_rate < 1%");

    Outcome o =
        run("scenarios", "validate", missing.toString(), folder.toString(), ok.toString(), "nope");

    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains(missing + ": no such scenario file"), o.err());
    assertTrue(o.err().contains("nope: no such scenario file"), o.err());
    assertTrue(
        o.err().contains(folder.resolve("a-latin1.yaml") + ": cannot read: it is not UTF-8"),
        o.err());
    assertTrue(o.err().contains(folder.resolve("c-empty.yaml").toString()), o.err());
    assertTrue(o.out().contains("ok  " + folder.resolve("b-ok.yaml")), o.out());
    assertTrue(o.out().contains("ok  " + ok), o.out());
  }

  @Test
  void aFolderGivenToRunIsNamedAsAFolder() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("adir"));

    Outcome empty = run("scenarios", "validate", folder.toString());
    Outcome runIt = run("run", folder.toString());

    assertEquals(2, empty.code(), empty.err());
    assertTrue(
        empty.err().contains(folder + ": is a folder with no .yaml or .yml scenario files in it"),
        empty.err());
    assertEquals(2, runIt.code(), runIt.err());
    assertTrue(runIt.err().contains(folder + ": is a folder, not a scenario file"), runIt.err());
  }

  @Test
  void listShowsEveryLibraryScenarioWithItsQuestion() {
    Outcome o = run("scenarios", "list");
    assertEquals(0, o.code(), o.err());
    for (String name : ScenarioFiles.LIBRARY) assertTrue(o.out().contains(name), name);
    assertTrue(o.out().contains("which pattern shows users the first words"), o.out());
    assertFalse(o.out().contains("Defaults are sized"), "only the question is shown: " + o.out());
    Outcome show = run("scenarios", "show", "chatbot");
    assertTrue(show.out().contains("use_case: chatbot"), show.out());
  }

  @Test
  void runExitsZeroWhenAssertionsHoldAndWritesEveryFormat() throws Exception {
    Path out = dir.resolve("out");
    Outcome o =
        run(
            "run",
            scenario("ok", "sync.error_rate < 1%").toString(),
            "--out",
            out.toString(),
            "--quiet");
    assertEquals(0, o.code(), o.out() + o.err());
    assertTrue(o.out().contains("PASS  sync.error_rate < 1%"), o.out());
    for (String ext : new String[] {"json", "csv", "html"})
      assertTrue(Files.isRegularFile(out.resolve("ok." + ext)), ext);

    Outcome report =
        run(
            "report",
            out.resolve("ok.json").toString(),
            "--format",
            "html",
            "--out",
            dir.resolve("again").toString());
    assertEquals(0, report.code(), report.err());
    assertTrue(Files.readString(dir.resolve("again/ok.html")).contains("id=\"cost-by-component\""));

    Outcome rec = run("recommend", out.resolve("ok.json").toString());
    assertEquals(0, rec.code(), rec.err());
    assertTrue(rec.out().contains("1. sync"), rec.out());
    assertTrue(rec.out().contains("Agrees with the article"), rec.out());
  }

  @Test
  void runExitsOneWhenAnAssertionFails() throws Exception {
    Outcome o =
        run(
            "run",
            scenario("slow", "sync.latency.p95 < 1ms").toString(),
            "--out",
            dir.toString(),
            "--quiet",
            "--format",
            "table");
    assertEquals(1, o.code(), o.out() + o.err());
    assertTrue(o.out().contains("FAIL  sync.latency.p95 < 1ms"), o.out());
  }

  @Test
  void badInputExitsWithTwo() throws Exception {
    Path ok = scenario("x", "error_rate < 1%");
    assertEquals(2, run("run", ok.toString(), "--format", "pdf").code());
    assertEquals(2, run("run", ok.toString(), "--patterns", "grpc").code());
    for (String none : new String[] {",", " , "}) {
      Outcome noPatterns = run("run", ok.toString(), "--patterns", none, "--out", dir.toString());
      assertEquals(2, noPatterns.code(), noPatterns.out());
      assertTrue(noPatterns.err().contains("--patterns: no pattern named (known: sync,"), none);
    }
    assertEquals(2, run("run", dir.resolve("missing.yaml").toString()).code());
    assertEquals(2, run("report", dir.resolve("missing.json").toString()).code());
    Outcome folder = run("report", dir.toString());
    assertEquals(2, folder.code());
    assertTrue(folder.err().contains(dir + ": is a folder, not a result file"), folder.err());
    Outcome pdf = run("report", dir.resolve("missing.json").toString(), "--format", "pdf");
    assertEquals(2, pdf.code());
    assertTrue(
        pdf.err().contains("unknown format 'pdf' (known: table, json, csv, html)"), pdf.err());
    assertEquals(2, run("run").code());
  }

  @Test
  void anOutDirectoryThatCannotBeMadeIsNamedBeforeTheRunStarts() throws Exception {
    Path ok = scenario("y", "error_rate < 1%");
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
    Outcome o = run("run", ok.toString(), "--out", file.resolve("results").toString());
    Outcome table =
        run("run", ok.toString(), "--out", file.resolve("results").toString(), "--format", "table");

    assertEquals(2, o.code(), o.err());
    assertTrue(
        o.err().contains("--out " + file.resolve("results") + ": cannot write results there"),
        o.err());
    assertTrue(o.err().contains("(Not a directory)"), o.err());
    assertEquals(2, table.code(), table.err());
    assertTrue(
        table
            .err()
            .contains("--out " + file.resolve("results") + ": cannot keep the run's database"),
        table.err());
  }

  @Test
  void aResultFileAFolderStandsInTheWayOfIsRefusedBeforeTheRunOnEitherRuntime() throws Exception {
    Path ok = scenario("w", "error_rate < 1%");
    Path out = dir.resolve("out");
    Files.createDirectories(out.resolve("w.csv"));
    String refused =
        "--out " + out + ": cannot write " + out.resolve("w.csv") + " (a folder of that name is in";

    Outcome embedded = run("run", ok.toString(), "--out", out.toString(), "--quiet");
    Outcome remote =
        run(
            "run",
            ok.toString(),
            "--out",
            out.toString(),
            "--quiet",
            "--target",
            "http://127.0.0.1:1");

    for (Outcome o : List.of(embedded, remote)) {
      assertEquals(2, o.code(), o.out() + o.err());
      assertTrue(o.err().contains(refused), o.err());
      assertFalse(Files.exists(out.resolve("w.json")), "nothing ran: " + o.out());
    }
  }

  @Test
  void reportPrintsTheTableThenWritesWhatItCanAndNamesTheFileItCouldNot() throws Exception {
    Path saved = savedResult("qa-small", "2026-01-01T00:00:00Z", dir.resolve("rep/small.json"));
    Path out = dir.resolve("copy");
    Files.createDirectories(out.resolve("small.csv"));
    Path aFile = Files.writeString(dir.resolve("afile"), "in the way");

    Outcome some =
        run("report", saved.toString(), "--format", "table,csv,html", "--out", out.toString());
    Outcome none =
        run("report", saved.toString(), "--format", "table,csv", "--out", aFile.toString());

    assertEquals(2, some.code(), some.err());
    assertTrue(some.out().contains("pattern"), "the table comes first: " + some.out());
    assertTrue(some.out().contains("Wrote " + out.resolve("small.html")), some.out());
    assertTrue(
        some.err()
            .contains(
                "[promptway] --out "
                    + out
                    + ": cannot write "
                    + out.resolve("small.csv")
                    + " (a folder of that name is in the way)"),
        some.err());
    assertEquals(2, none.code(), none.err());
    assertTrue(none.out().contains("pattern"), none.out());
    assertTrue(
        none.err()
            .contains(
                "--out "
                    + aFile
                    + ": cannot write results there (a file of that name is in the way)"),
        none.err());
  }

  @Test
  void twoScenariosOfOneNameAreRefusedBeforeEitherRuns() throws Exception {
    Path first = scenario("twin", "error_rate < 1%");
    Path second = Files.copy(first, dir.resolve("twin-copy.yaml"));
    Path out = dir.resolve("twins");

    Outcome o = run("run", first.toString(), second.toString(), "--out", out.toString(), "--quiet");

    assertEquals(2, o.code(), o.out() + o.err());
    assertTrue(
        o.err()
            .contains(
                second
                    + ": scenario 'twin' would write the same files as "
                    + first
                    + " ('twin'): "
                    + out.resolve("twin")
                    + ".*"),
        o.err());
    assertEquals("", o.out());
    assertFalse(Files.exists(out), "nothing ran");
  }

  @Test
  void aTargetNothingListensOnIsRefusedBeforeAnyLoadIsSent() throws Exception {
    int closed;
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    String target = "http://127.0.0.1:" + closed;

    Outcome o =
        run(
            "run",
            scenario("z", "error_rate < 1%").toString(),
            "--target",
            target,
            "--out",
            dir.toString(),
            "--quiet");

    assertEquals(2, o.code(), o.out() + o.err());
    assertTrue(
        o.err().contains("--target " + target + ": cannot reach it (connection refused)"), o.err());
    assertFalse(Files.exists(dir.resolve("z.json")), "no result was written");
  }

  @Test
  void aTargetRunningAtAnotherTimeScaleIsRefusedBeforeItsLatenciesAreMisread() throws Exception {
    try (RunningRuntime runtime = runtimeAt(1)) {
      String target = runtime.baseUri().toString();

      Outcome o =
          run(
              "run",
              scenario("s", "error_rate < 1%").toString(),
              "--target",
              target,
              "--out",
              dir.toString(),
              "--quiet");

      assertEquals(2, o.code(), o.out() + o.err());
      assertTrue(
          o.err()
              .contains(
                  "runs at time scale 1.0 but the scenario at 10.0: its latencies would be read"
                      + " 10.0x off; run with --time-scale 1.0"),
          o.err());
      assertFalse(Files.exists(dir.resolve("s.json")), "no result was written");
    }
  }

  @Test
  void aRunAgainstATargetSaysTheTargetAnswersWithItsOwnSettings() throws Exception {
    try (RunningRuntime runtime = runtimeAt(10)) {
      PrintStream stderr = System.err;
      ByteArrayOutputStream said = new ByteArrayOutputStream();
      Outcome o;
      System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8));
      try {
        o =
            run(
                "run",
                scenario("t", "error_rate < 1%").toString(),
                "--target",
                runtime.baseUri().toString(),
                "--out",
                dir.toString(),
                "--quiet");
      } finally {
        System.setErr(stderr);
      }

      assertEquals(0, o.code(), o.out() + o.err());
      assertTrue(
          said.toString(StandardCharsets.UTF_8)
              .contains("the target answers with its own settings"),
          said.toString(StandardCharsets.UTF_8));
    }
  }

  /** A runtime to run against with --target: a free port, in-memory state, this time scale. */
  private static RunningRuntime runtimeAt(double timeScale) {
    return PromptwayServer.start(
        new ConfigLoader()
            .load(
                null,
                Map.of(
                    "server.port",
                    0,
                    "time_scale",
                    timeScale,
                    "state.jdbc_url",
                    "jdbc:h2:mem:target-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")));
  }

  private Path savedResult(String scenarioName, String startedAt, Path file) throws Exception {
    var scenario =
        ScenarioReader.parse(
            "s.yaml",
            "name: %s\nload: {stages: [{type: constant, rate: 1, duration: 1s}]}\nmix: [{weight: 1}]\n"
                .formatted(scenarioName));
    var result =
        new RunResult(
            scenario,
            "http://127.0.0.1:1/",
            startedAt,
            1,
            42,
            0,
            1,
            1,
            false,
            new Pacing(0, 0, 0, 0, 0, 0, 0, 0, 0),
            List.of(),
            CostSummary.NONE,
            List.of(),
            List.of());
    Files.createDirectories(file.getParent());
    return Files.writeString(file, ResultJson.write(result));
  }

  @Test
  void reportNamesItsFilesAfterTheInputAndLeavesAnotherResultOfTheSameScenarioAlone()
      throws Exception {
    Path original =
        savedResult("qa-small", "2026-01-01T00:00:00Z", dir.resolve("rep/qa-small.json"));
    String before = Files.readString(original);
    Path renamed = savedResult("qa-small", "2026-02-02T00:00:00Z", dir.resolve("rep/renamed.json"));

    Outcome o = run("report", renamed.toString(), "--format", "json,csv,html");

    assertEquals(0, o.code(), o.err());
    assertEquals(before, Files.readString(original), "another result is not overwritten");
    assertTrue(Files.isRegularFile(dir.resolve("rep/renamed.csv")), o.out());
    assertTrue(Files.isRegularFile(dir.resolve("rep/renamed.html")), o.out());
    assertFalse(Files.exists(dir.resolve("rep/qa-small.csv")), o.out());
    assertTrue(o.out().contains("Left " + renamed + " as it is: it is the input"), o.out());
  }

  @Test
  void reportWritesAJsonCopyNamedAfterTheInputOnlyIntoAnotherFolder() throws Exception {
    Path renamed = savedResult("qa-small", "2026-02-02T00:00:00Z", dir.resolve("rep/renamed.json"));

    Outcome o =
        run(
            "report",
            renamed.toString(),
            "--format",
            "json",
            "--out",
            dir.resolve("copy").toString());

    assertEquals(0, o.code(), o.err());
    assertTrue(Files.isRegularFile(dir.resolve("copy/renamed.json")), o.out());
    assertFalse(Files.exists(dir.resolve("copy/qa-small.json")), o.out());
  }

  @Test
  void reportOfAJsonFileThatIsNotAResultSaysSoAndExitsWithTwo() throws Exception {
    Path other = Files.writeString(dir.resolve("package.json"), "{\"name\": \"x\"}");

    Outcome o = run("report", other.toString());

    assertEquals(2, o.code(), o.err());
    assertTrue(
        o.err().contains(other + ": not a Promptway result file: it has no 'scenario'"), o.err());
  }

  @Test
  void aResultWithAPartCutOutIsRefusedByReportAndRecommendBeforeAnythingIsWritten()
      throws Exception {
    Path saved = savedResult("qa-small", "2026-01-01T00:00:00Z", dir.resolve("cut/small.json"));
    var json = (ObjectNode) new ObjectMapper().readTree(saved.toFile());
    json.remove("assertions");
    ((ObjectNode) json.get("scenario")).putNull("name");
    Files.writeString(saved, json.toString());

    Outcome report = run("report", saved.toString(), "--format", "table,csv,html");
    Outcome recommend = run("recommend", saved.toString());

    for (Outcome o : List.of(report, recommend)) {
      assertEquals(2, o.code(), o.err());
      assertTrue(
          o.err().contains(saved + ": not a Promptway result file: it has no 'scenario.name'"),
          o.err());
      assertEquals("", o.out());
    }
    assertEquals(List.of(saved), Files.list(saved.getParent()).toList(), "nothing written");
  }

  @Test
  void aScenarioFileThatIsNotTextIsNamedAsSuch() throws Exception {
    Path binary = Files.write(dir.resolve("image.yaml"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});

    Outcome o = run("scenarios", "validate", binary.toString());

    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains(binary + ": cannot read: it is not UTF-8 text"), o.err());
  }

  @Test
  void everyRuntimeSettingTheRuntimeWouldRefuseIsReportedOnALineOfItsOwn() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("two.yaml"),
            """
            name: two
            load: {stages: [{type: constant, rate: 1, duration: 10s}]}
            mix: [{weight: 1}]
            deployment:
              runtime: {async.workers: 0, queue.retention: 30d}
            """);
    String refused = "[promptway] the runtime refuses this setting: ";

    Outcome validate = run("scenarios", "validate", file.toString());

    assertEquals(2, validate.code(), validate.err());
    assertEquals(
        List.of(
            refused + "'async': workers must be at least 1, got 0 at " + file + ":5:13",
            refused + "'queue': retention must be within 1m..14d, got 30d at " + file + ":5:31"),
        validate.err().lines().sorted().toList());
  }

  @Test
  void nestedRuntimeSettingsAreCheckedKeyByKeyEachAtItsLineAndColumn() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("rtbad.yaml"),
            """
            name: rtbad
            load: {stages: [{type: constant, rate: 1, duration: 10s}]}
            mix: [{weight: 1}]
            deployment:
              runtime:
                gateway: {max_tokens_cap: abc, throttle: {steady_rps: 5}}
                async.workerz: 3
            """);

    Outcome validate = run("scenarios", "validate", file.toString());

    assertEquals(2, validate.code(), validate.err());
    List<String> lines = validate.err().lines().toList();
    assertEquals(2, lines.size(), validate.err());
    assertTrue(
        lines.getFirst().startsWith("[promptway] the runtime refuses this setting:")
            && lines.getFirst().contains("'gateway.max_tokens_cap'")
            && lines.getFirst().endsWith(" at " + file + ":6:15"),
        validate.err());
    assertTrue(
        lines.getLast().contains("unknown key 'async.workerz'")
            && lines.getLast().endsWith(" at " + file + ":7:5"),
        validate.err());
  }

  @Test
  void runtimeSettingsTheRuntimeWouldRefuseFailValidationAndRunNamingTheFile() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("workers.yaml"),
            """
            name: workers
            load: {stages: [{type: constant, rate: 1, duration: 10s}]}
            mix: [{weight: 1}]
            deployment:
              runtime: {async.workers: 0}
            """);
    String expected =
        "the runtime refuses this setting: 'async': workers must be at least 1, got 0 at "
            + file
            + ":5:13";

    Outcome validate = run("scenarios", "validate", file.toString());
    Outcome runIt = run("run", file.toString(), "--out", dir.toString(), "--quiet");

    assertEquals(2, validate.code(), validate.err());
    assertTrue(validate.err().contains(expected), validate.err());
    assertEquals(2, runIt.code(), runIt.err());
    assertTrue(runIt.err().contains(expected), runIt.err());
  }

  @Test
  void anUnknownModelIsNamedWithItsLineAndTheKnownModels() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("gpt5.yaml"),
            """
            name: gpt5
            load: {stages: [{type: constant, rate: 1, duration: 10s}]}
            mix: [{weight: 1}]
            llm:
              model: gpt-5
            """);

    Outcome validate = run("scenarios", "validate", file.toString());
    Outcome runIt = run("run", file.toString(), "--out", dir.toString(), "--quiet");

    for (Outcome o : List.of(validate, runIt)) {
      assertEquals(2, o.code(), o.err());
      assertTrue(
          o.err()
              .contains(
                  "unknown model 'gpt-5' (known: claude-sonnet-4, gpt-4.1-mini, gpt-4o, gpt-4o-mini"),
          o.err());
      assertTrue(o.err().contains(" at " + file + ":5:10"), o.err());
      assertFalse(o.err().contains("ttft is required"), o.err());
    }
  }

  @Test
  void aModelTheScenarioDefinesUnderDeploymentRuntimeIsKnown() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("own-model.yaml"),
            """
            name: own
            load: {stages: [{type: constant, rate: 1, duration: 10s}]}
            mix: [{weight: 1}]
            llm:
              model: house-model
            deployment:
              runtime:
                llm.models.house-model.ttft: {median: 300ms, p95: 800ms}
                llm.models.house-model.inter_token: {median: 10ms, p95: 20ms}
            """);

    Outcome validate = run("scenarios", "validate", file.toString());

    assertEquals(0, validate.code(), validate.err());
  }

  @Test
  void validateWarnsWhenAClassAsksForMoreTokensThanTheRuntimeAccepts() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("long.yaml"),
            """
            name: long
            load: {stages: [{type: constant, rate: 1, duration: 10s}]}
            mix: [{name: article, weight: 1, output_tokens: {median: 5000, p95: 7000}}]
            """);

    Outcome validate = run("scenarios", "validate", file.toString());

    assertEquals(0, validate.code(), validate.err());
    assertTrue(
        validate
            .out()
            .contains(
                "warning: mix class 'article': output_tokens p95 7000 is above the runtime's"
                    + " max_tokens cap of 4096"),
        validate.out());
  }
}
