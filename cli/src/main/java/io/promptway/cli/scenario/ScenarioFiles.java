package io.promptway.cli.scenario;

import io.promptway.cli.ExitCodes;
import io.promptway.runtime.config.ConfigLoader;
import io.promptway.runtime.config.FileProblems;
import io.promptway.scenarios.model.RuntimeRules;
import io.promptway.scenarios.model.Scenario;
import io.promptway.scenarios.model.ScenarioException;
import io.promptway.scenarios.model.ScenarioReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds scenario files: a path as given, else a name in the library ({@code scenarios/library}
 * under the working directory, then the copy shipped inside the jar).
 */
final class ScenarioFiles {
  static final List<String> LIBRARY =
      List.of(
          "chatbot",
          "content-generation",
          "api-integrations",
          "mobile",
          "high-volume-saas",
          "simple-mvp");
  static final Path LIBRARY_DIR = Path.of("scenarios", "library");

  private ScenarioFiles() {}

  /** The file's label (as the user wrote it, or library/NAME.yaml) and its text. */
  record Source(String label, String text) {}

  static Source source(String arg) {
    Path path = Path.of(arg);
    if (Files.isDirectory(path)) {
      throw new ExitCodes.Failure(
          ExitCodes.USAGE, arg + ": is a folder, not a scenario file; name a .yaml file in it");
    }
    try {
      if (Files.isRegularFile(path)) return new Source(arg, Files.readString(path));
      String name = arg.endsWith(".yaml") ? arg.substring(0, arg.length() - 5) : arg;
      Path local = LIBRARY_DIR.resolve(name + ".yaml");
      if (Files.isRegularFile(local)) return new Source(local.toString(), Files.readString(local));
      try (InputStream in =
          ScenarioFiles.class.getResourceAsStream(
              "/io/promptway/scenarios/library/" + name + ".yaml")) {
        if (in != null)
          return new Source(
              "library/" + name + ".yaml", new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new ExitCodes.Failure(
          ExitCodes.USAGE, arg + ": cannot read: " + FileProblems.reason(e));
    }
    throw new ExitCodes.Failure(
        ExitCodes.USAGE,
        arg
            + ": no such scenario file or library scenario (library: "
            + String.join(", ", LIBRARY)
            + ")");
  }

  /**
   * The scenario files {@code validate} checks for {@code arg}: the .yaml and .yml files directly
   * in it when it is a folder, sorted by name; else {@code arg} itself.
   */
  static List<String> expand(String arg) {
    Path path = Path.of(arg);
    if (!Files.isDirectory(path)) return List.of(arg);
    try (Stream<Path> files = Files.list(path)) {
      List<String> yaml =
          files
              .filter(Files::isRegularFile)
              .map(Path::toString)
              .filter(f -> f.endsWith(".yaml") || f.endsWith(".yml"))
              .sorted()
              .toList();
      if (yaml.isEmpty()) {
        throw new ExitCodes.Failure(
            ExitCodes.USAGE, arg + ": is a folder with no .yaml or .yml scenario files in it");
      }
      return yaml;
    } catch (IOException e) {
      throw new ExitCodes.Failure(
          ExitCodes.USAGE, arg + ": cannot list the folder: " + FileProblems.reason(e));
    }
  }

  static Scenario read(String arg) {
    Source s = source(arg);
    try {
      return parse(s);
    } catch (ScenarioException e) {
      throw new ExitCodes.Failure(ExitCodes.USAGE, "invalid scenario:\n" + e.getMessage());
    }
  }

  /**
   * The scenario in {@code s}, its model checked against the runtime's models and the runtime
   * configuration it implies against the runtime's own bounds.
   */
  static Scenario parse(Source s) {
    return ScenarioReader.parse(s.label(), s.text(), new LocalRuntimeRules());
  }

  /** The embedded runtime's models, and its config loader's checks. */
  private static final class LocalRuntimeRules implements RuntimeRules {
    @Override
    public Set<String> knownModels() {
      return new ConfigLoader().load(null, Map.of()).llm().models().keySet();
    }

    @Override
    public List<Refusal> refuses(Map<String, Object> settings) {
      // each setting named as a "flag", so a problem says which one set it
      Map<String, String> names = new HashMap<>();
      settings.keySet().forEach(key -> names.put(key, key));
      try {
        new ConfigLoader().load(null, settings, names);
        return List.of();
      } catch (ConfigLoader.ConfigException e) {
        return e.problems().stream()
            .map(
                p -> new Refusal(settings.containsKey(p.source()) ? p.source() : null, p.message()))
            .toList();
      }
    }
  }

  /**
   * The "# Question:" comment that says what a library scenario answers: its first paragraph, up to
   * the line that ends the question with "?" or a blank comment line, so notes that follow (how the
   * run is sized) are not shown as part of it.
   */
  static String question(String text) {
    StringBuilder q = new StringBuilder();
    for (String line : text.split("\n")) {
      if (!line.startsWith("#")) {
        if (!q.isEmpty()) break;
        continue;
      }
      String l = line.substring(1).strip();
      if (l.startsWith("Question:")) q.append(l.substring("Question:".length()).strip());
      else if (!q.isEmpty() && !l.isEmpty()) q.append(' ').append(l);
      else if (!q.isEmpty()) break;
      if (!q.isEmpty() && l.endsWith("?")) break;
    }
    return q.toString();
  }
}
