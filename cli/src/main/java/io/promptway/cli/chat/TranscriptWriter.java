package io.promptway.cli.chat;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.promptway.runtime.http.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes a session as JSON: every turn with its prompt, reply, timings (simulated, at the runtime's
 * {@code time_scale}) and cost, plus totals.
 */
final class TranscriptWriter {
  record Transcript(
      Instant savedAt,
      String pattern,
      String model,
      double timeScale,
      List<TurnRecord> turns,
      double totalCostUsd,
      Map<String, Double> costByComponent) {}

  private TranscriptWriter() {}

  static void write(ChatSession session, Path file, Instant now) throws IOException {
    Transcript transcript =
        new Transcript(
            now,
            session.pattern(),
            session.model(),
            session.timeScale(),
            session.turns(),
            session.totalCostUsd(),
            session.costByComponent());
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    Files.writeString(
        file,
        Json.mapper().writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(transcript));
  }
}
