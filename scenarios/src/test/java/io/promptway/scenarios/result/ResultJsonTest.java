package io.promptway.scenarios.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultJsonTest {
  @TempDir Path dir;

  @Test
  void aFileThatIsNotJsonIsNamedWithItsLineAndColumn() throws Exception {
    Path file = Files.writeString(dir.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n");
    var e = assertThrows(IllegalArgumentException.class, () -> ResultJson.read(file));
    assertTrue(
        e.getMessage()
            .startsWith(file + ":1:1: not a Promptway result file: Unrecognized token 'root'"),
        e.getMessage());
    assertFalse(e.getMessage().contains("Source:"), e.getMessage());
  }

  @Test
  void aFieldOfTheWrongTypeIsNamedByItsPath() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("bad.json"), "{\n  \"scenario\": {\"seed\": \"forty-two\"}\n}\n");
    var e = assertThrows(IllegalArgumentException.class, () -> ResultJson.read(file));
    assertTrue(e.getMessage().startsWith(file + ":2:"), e.getMessage());
    assertTrue(e.getMessage().contains("(at scenario.seed)"), e.getMessage());
  }

  @Test
  void jsonWithoutTheMeasurementsIsRefusedNamingWhatIsMissingInsteadOfFailingLater()
      throws Exception {
    Path file = Files.writeString(dir.resolve("other.json"), "{\"x\": 1}\n");

    var e = assertThrows(IllegalArgumentException.class, () -> ResultJson.read(file));

    assertEquals(file + ": not a Promptway result file: it has no 'scenario'", e.getMessage());
  }

  @Test
  void aTruncatedFileSaysTheJsonEndsEarlyWithoutTheParsersInternals() throws Exception {
    Path file = Files.writeString(dir.resolve("t.json"), "{\"patterns\": [\n");

    var e = assertThrows(IllegalArgumentException.class, () -> ResultJson.read(file));

    assertEquals(
        file + ":2:1: not a Promptway result file: the JSON ends early (at patterns)",
        e.getMessage());
  }
}
