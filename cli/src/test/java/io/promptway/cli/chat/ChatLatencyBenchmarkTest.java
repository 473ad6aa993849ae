package io.promptway.cli.chat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Runs {@link ChatLatencyBenchmark} on demand ({@code -Dchat.bench=TURNS}) and holds the REPL to
 * its budget: it adds less than 5 ms (median) to every pattern's own time to first token.
 */
@EnabledIfSystemProperty(named = "chat.bench", matches = "\\d+")
class ChatLatencyBenchmarkTest {
  @Test
  void replAddsLessThanFiveMillisecondsToTimeToFirstToken() throws Exception {
    int turns = Integer.parseInt(System.getProperty("chat.bench"));

    Map<String, Double> added =
        ChatLatencyBenchmark.run(turns, List.of("sync", "sse", "websocket"));

    added.forEach(
        (transport, ms) -> assertTrue(ms < 5, transport + " adds " + ms + " ms at the median"));
  }
}
