package io.promptway.cli.chat;

import java.util.List;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/** Completes slash command names, pattern names after /pattern and model names after /model. */
final class SlashCommandCompleter implements Completer {
  static final List<String> COMMANDS =
      List.of(
          "/pattern", "/model", "/stats", "/cost", "/history", "/clear", "/save", "/help", "/quit");

  private final List<String> patterns;
  private final Supplier<List<String>> models;

  SlashCommandCompleter(List<String> patterns, Supplier<List<String>> models) {
    this.patterns = patterns;
    this.models = models;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    List<String> words = line.words();
    if (words.isEmpty() || !words.get(0).startsWith("/")) return;
    if (line.wordIndex() == 0) {
      COMMANDS.forEach(c -> candidates.add(new Candidate(c)));
    } else if (line.wordIndex() == 1 && words.get(0).equals("/pattern")) {
      patterns.forEach(p -> candidates.add(new Candidate(p)));
    } else if (line.wordIndex() == 1 && words.get(0).equals("/model")) {
      models.get().forEach(m -> candidates.add(new Candidate(m)));
    }
  }
}
