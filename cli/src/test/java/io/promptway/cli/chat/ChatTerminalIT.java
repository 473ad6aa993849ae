package io.promptway.cli.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat on a real terminal: a pseudo-terminal from util-linux's {@code script}, the packaged jar
 * (failsafe runs after packaging), and {@code stty} before and after.
 */
class ChatTerminalIT {
  private static final Path JAR = Path.of("target/promptway.jar").toAbsolutePath();
  private static final Pattern SPEED = Pattern.compile("speed (\\d+) baud");

  @Test
  void leavesTheTerminalsLineSpeedAsItFoundIt(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/script")), "no util-linux script for a pty");
    String java = ProcessHandle.current().info().command().orElseThrow();
    String inside =
        "stty -a | head -1; '"
            + java
            + "' -jar '"
            + JAR
            + "' chat --pattern sync --model instant --history-file '"
            + dir.resolve("history")
            + "'; echo exit=$?; stty -a | head -1";
    // the typed /quit waits in the pty until the REPL reads it
    ProcessBuilder pb =
        new ProcessBuilder(List.of("script", "-qfec", inside, "/dev/null"))
            .redirectErrorStream(true)
            .redirectInput(Files.writeString(dir.resolve("keys"), "/quit\r").toFile());
    Process p = pb.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chat ended in time");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertTrue(out.contains("exit=0"), out);
    Matcher speeds = SPEED.matcher(out);
    assertTrue(speeds.find(), out);
    String before = speeds.group(1);
    assertTrue(speeds.find(), out);
    assertEquals(before, speeds.group(1), "line speed before and after the chat: " + out);
  }
}
