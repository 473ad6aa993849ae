package io.promptway.cli;

import static java.nio.file.StandardCopyOption.COPY_ATTRIBUTES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher scripts on a machine whose default java is 17: they must find a JDK 21+ by
 * themselves. Runs after the jar is packaged (failsafe), so the launcher does not rebuild.
 */
class LauncherIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private static Path java17() {
    for (String dir :
        List.of("/usr/lib/jvm/java-17-openjdk-amd64", "/usr/lib/jvm/java-17-openjdk-arm64")) {
      if (Files.isExecutable(Path.of(dir, "bin", "java"))) return Path.of(dir);
    }
    return null;
  }

  private static String run(List<String> command, Path java17)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    pb.environment().remove("JAVA_HOME");
    pb.environment().put("PATH", java17.resolve("bin") + ":/usr/bin:/bin");
    Process p = pb.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "launcher finished in time");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void theJdkFinderPicksAJdk21OrNewerWhenJava17IsFirstOnPath() throws Exception {
    Path java17 = java17();
    Assumptions.assumeTrue(java17 != null, "no java 17 on this machine to put first on PATH");
    String out =
        run(
            List.of(
                "bash",
                "-c",
                ". scripts/jdk.sh && java -XshowSettings:properties -version 2>&1 | grep java.specification.version"),
            java17);
    int major = Integer.parseInt(out.replaceAll("(?s).*=\\s*(\\d+).*", "$1"));
    assertTrue(major >= 21, "picked Java " + major);
  }

  @Test
  void onJdk25OrNewerTheLauncherRecordsItsAheadOfTimeCache() throws Exception {
    Path java17 = java17();
    Assumptions.assumeTrue(java17 != null, "no java 17 on this machine to put first on PATH");
    String major =
        run(List.of("bash", "-c", ". scripts/jdk.sh && echo $PROMPTWAY_JAVA_MAJOR"), java17);
    Assumptions.assumeTrue(Integer.parseInt(major.strip()) >= 25, "the cache needs JDK 25+");

    run(List.of("./promptway", "--version"), java17);

    // A JVM that refuses one of scripts/jvm-flags.sh's recording flags leaves no cache behind,
    // silently; start-up would double.
    Path cache = ROOT.resolve("cli/target/promptway.aot");
    assertTrue(Files.isRegularFile(cache) && Files.size(cache) > 0, "no AOT cache at " + cache);
  }

  @Test
  void theLauncherRunsTheCliWithJava17FirstOnPath() throws Exception {
    Path java17 = java17();
    Assumptions.assumeTrue(java17 != null, "no java 17 on this machine to put first on PATH");
    String out = run(List.of("./promptway", "--version"), java17);
    assertTrue(out.startsWith("promptway 0."), "the jar's own version: " + out);
    var runtime = Pattern.compile("(?m)^Java (\\d+)").matcher(out);
    assertTrue(runtime.find(), out);
    assertTrue(Integer.parseInt(runtime.group(1)) >= 21, "ran on " + out);
  }

  @Test
  void serveOnABusyPortSaysSoInOneLineAndExits3(@TempDir Path state) throws Exception {
    Path java17 = java17();
    Assumptions.assumeTrue(java17 != null, "no java 17 on this machine to put first on PATH");
    try (var busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      ProcessBuilder pb =
          new ProcessBuilder(
                  "./promptway",
                  "serve",
                  "--port",
                  Integer.toString(busy.getLocalPort()),
                  "--db",
                  state.resolve("state").toString())
              .directory(ROOT.toFile())
              .redirectErrorStream(true);
      pb.environment().remove("JAVA_HOME");
      pb.environment().put("PATH", java17.resolve("bin") + ":/usr/bin:/bin");
      Process p = pb.start();
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "serve gave up in time");
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(3, p.exitValue(), out);
      assertEquals(1, out.strip().lines().count(), "one line, nothing before it: " + out);
      assertTrue(out.contains("already in use"), out);
    }
  }

  @Test
  void aRuntimeStartedByTheLauncherKeepsServingWhenTheJarIsRebuiltUnderIt(@TempDir Path copy)
      throws Exception {
    Path java17 = java17();
    Assumptions.assumeTrue(java17 != null, "no java 17 on this machine to put first on PATH");
    // the launcher, its scripts and the built jar, without sources: nothing to rebuild
    Files.copy(ROOT.resolve("promptway"), copy.resolve("promptway"), COPY_ATTRIBUTES);
    Files.createDirectories(copy.resolve("scripts"));
    try (var scripts = Files.list(ROOT.resolve("scripts"))) {
      for (Path f : scripts.toList())
        Files.copy(f, copy.resolve("scripts").resolve(f.getFileName()), COPY_ATTRIBUTES);
    }
    Path jar = copy.resolve("cli/target/promptway.jar");
    Files.createDirectories(jar.getParent());
    Files.copy(ROOT.resolve("cli/target/promptway.jar"), jar);
    ProcessBuilder pb =
        new ProcessBuilder(
                "./promptway", "serve", "--port", "0", "--db", copy.resolve("db").toString())
            .directory(copy.toFile())
            .redirectErrorStream(true);
    pb.environment().remove("JAVA_HOME");
    pb.environment().put("PATH", java17.resolve("bin") + ":/usr/bin:/bin");
    Process serve = pb.start();
    try {
      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      Thread.ofVirtual()
          .start(
              () -> {
                try (var out =
                    new BufferedReader(
                        new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
                  out.lines().forEach(lines::add);
                } catch (IOException | UncheckedIOException e) {
                  // the server was stopped
                }
              });
      URI base = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (base == null && System.nanoTime() < deadline) {
        String line = lines.poll(1, TimeUnit.SECONDS);
        var url =
            line == null ? null : Pattern.compile("http://127\\.0\\.0\\.1:\\d+/").matcher(line);
        if (url != null && url.find()) base = URI.create(url.group());
      }
      assertTrue(base != null, "serve printed its URL: " + lines);

      // a rebuild writes the jar in place, as Maven does
      Files.write(jar, new byte[4096], StandardOpenOption.TRUNCATE_EXISTING);

      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> openapi =
          http.send(
              HttpRequest.newBuilder(base.resolve("/openapi")).build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> queued =
          http.send(
              HttpRequest.newBuilder(base.resolve("/events/requests"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"still there?\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, openapi.statusCode());
      assertEquals(202, queued.statusCode(), queued.body());
    } finally {
      serve.destroy();
      if (!serve.waitFor(20, TimeUnit.SECONDS)) serve.destroyForcibly();
    }
  }
}
