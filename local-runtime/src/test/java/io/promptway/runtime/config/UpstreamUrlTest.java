package io.promptway.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamUrlTest {
  @TempDir Path dir;

  private static final String REFUSED =
      "'llm': upstream must not carry credentials (user:password@) in its URL: put credentials in"
          + " PROMPTWAY_UPSTREAM_API_KEY, not the URL";

  @Test
  void credentialsInTheUpstreamFlagAreRefusedWithoutPrintingThem() {
    var e =
        assertThrows(
            ConfigLoader.ConfigException.class,
            () ->
                new ConfigLoader()
                    .load(
                        null,
                        Map.of("llm.upstream", "http://bob:hunter2pass@127.0.0.1:18777/v1"),
                        Map.of("llm.upstream", "--upstream")));
    assertEquals("--upstream: " + REFUSED, e.getMessage());
  }

  @Test
  void credentialsInTheConfigFileAreRefusedAtTheirLineEvenInAUrlNoParserTakes() throws Exception {
    Path file = dir.resolve("up.yaml");
    Files.writeString(file, "llm:\n  upstream: 'http://bob:hunter2 pass@host/v1'\n");
    var e =
        assertThrows(
            ConfigLoader.ConfigException.class, () -> new ConfigLoader().load(file, Map.of()));
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    assertTrue(e.getMessage().endsWith(REFUSED), e.getMessage());
  }

  @Test
  void anUpstreamWithAnAtSignOnlyInItsPathIsAccepted() {
    var c = new ConfigLoader().load(null, Map.of("llm.upstream", "http://127.0.0.1:1/v1/@models"));
    assertEquals("http://127.0.0.1:1/v1/@models", c.llm().upstream());
  }
}
