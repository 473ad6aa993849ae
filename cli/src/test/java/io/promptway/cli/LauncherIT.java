package io.promptway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

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
}
