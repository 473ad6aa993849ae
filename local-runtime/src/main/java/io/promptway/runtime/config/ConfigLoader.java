package io.promptway.runtime.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.promptway.runtime.metering.PriceTable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Builds a {@link RuntimeConfig}: the shipped defaults, deep-merged with an optional YAML file,
 * deep-merged with overrides (from flags). Unknown keys and bad values fail, every one of them,
 * with the line of the file (or the flag) and the path of the key, so a typo never silently falls
 * back to a default.
 */
public final class ConfigLoader {
  private static final String DEFAULTS = "/io/promptway/runtime/promptway-defaults.yaml";

  // Shared by every loader (a mapper is thread-safe once built): what it learns of the records by
  // reflection, and the parsed defaults, are paid for once per process, and StartupPrefetch can pay
  // for them off the main thread while the command line is parsed.
  private static final ObjectMapper yaml = mapper();

  private static final JsonPointer PRICES = JsonPointer.compile("/prices");

  /** Problems in the file in the order of its lines, then those with no line. */
  private static final Comparator<ConfigProblem> IN_FILE_ORDER =
      Comparator.comparing((ConfigProblem p) -> !p.hasLine())
          .thenComparingInt(ConfigProblem::line)
          .thenComparingInt(ConfigProblem::column);

  private static ObjectMapper mapper() {
    SimpleModule durations = new SimpleModule();
    durations.addDeserializer(
        Duration.class,
        new JsonDeserializer<>() {
          @Override
          public Duration deserialize(JsonParser p, DeserializationContext ctxt)
              throws IOException {
            if (p.currentToken().isNumeric()) return Duration.ofMillis(p.getLongValue());
            try {
              return DurationText.parse(p.getValueAsString());
            } catch (IllegalArgumentException e) {
              throw JsonMappingException.from(p, e.getMessage());
            }
          }
        });
    ObjectMapper mapper =
        JsonMapper.builder(new YAMLFactory())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .addModule(durations)
            .build();
    mapper
        .coercionConfigFor(LogicalType.Enum)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    return mapper;
  }

  /**
   * The shipped defaults, parsed once (on first use, by whichever thread gets there first). A
   * failure is kept and reported by each load, not thrown from the class initialiser, where a
   * second thread would see only a NoClassDefFoundError.
   */
  private static final class ShippedDefaults {
    static final ObjectNode TREE;
    static final String PROBLEM;

    /** The same by place, read only: to stand in for bad values and to say which are shipped. */
    static final ShippedValues VALUES;

    static {
      ObjectNode tree = null;
      String problem = null;
      try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS)) {
        tree = (ObjectNode) yaml.readTree(in);
      } catch (IOException | RuntimeException e) {
        problem = "cannot read the shipped defaults " + DEFAULTS + ": " + e;
      }
      TREE = tree;
      PROBLEM = problem;
      VALUES = tree == null ? null : byPlace(tree);
    }

    private static ShippedValues byPlace(ObjectNode tree) {
      ObjectNode filled = tree.deepCopy();
      JsonNode template = filled.path("model_defaults").deepCopy();
      fillModelDefaults(filled);
      return new ShippedValues(filled, template);
    }
  }

  public RuntimeConfig defaults() {
    return load(null, Map.of());
  }

  /**
   * @param file a YAML file, or null
   * @param overrides dotted keys to values, e.g. {@code server.port -> 0}; applied last
   */
  public RuntimeConfig load(Path file, Map<String, Object> overrides) {
    return load(file, overrides, Map.of());
  }

  /**
   * Like {@link #load(Path, Map)}; a problem with an override that a person gave as a flag names
   * the flag.
   *
   * @param flags the flag of each such override, e.g. {@code llm.upstream -> --upstream}
   * @throws ConfigException with every problem found, each where its value came from
   */
  public RuntimeConfig load(Path file, Map<String, Object> overrides, Map<String, String> flags) {
    ObjectNode merged = readDefaults();
    List<ConfigBinding.Failure> failures = new ArrayList<>();
    if (file != null) {
      JsonNode user = readFile(file);
      if (user != null && !user.isNull()) {
        if (!user.isObject()) {
          ValueOrigins origins = new ValueOrigins(file, Map.of(), Map.of(), ShippedDefaults.VALUES);
          throw new ConfigException(List.of(origins.wholeFile("the top level must be a mapping")));
        }
        mergeFile(merged, user, JsonPointer.empty(), failures);
      }
    }
    // bound on its own too, so that a bad value in the file is reported though a flag replaces it
    ObjectNode fileOnly = file == null || overrides.isEmpty() ? null : merged.deepCopy();
    overrides.forEach((key, value) -> put(merged, key, value));
    fillModelDefaults(merged);
    ConfigBinding.Result bound = bind(merged);
    failures.addAll(bound.failures());
    RuntimeConfig config = bound.config();
    if (config != null && config.prices() != null && !config.prices().isEmpty()) {
      try {
        PriceTable.load(config.prices()); // its overrides are checked where the table is read
      } catch (PriceTable.BadOverride e) {
        JsonPointer at = PRICES;
        for (String key : e.key()) at = at.appendProperty(key);
        failures.add(new ConfigBinding.Failure(at, true, e.getMessage()));
      }
    }
    List<ConfigProblem> problems = new ArrayList<>();
    if (fileOnly != null) {
      fillModelDefaults(fileOnly);
      List<ConfigBinding.Failure> inFile = bind(fileOnly).failures();
      if (!inFile.isEmpty()) {
        ValueOrigins origins = new ValueOrigins(file, Map.of(), Map.of(), ShippedDefaults.VALUES);
        inFile.forEach(f -> problems.add(origins.locate(f)));
      }
    }
    if (failures.isEmpty() && problems.isEmpty()) return config;
    ValueOrigins origins = new ValueOrigins(file, overrides, flags, ShippedDefaults.VALUES);
    failures.forEach(f -> problems.add(origins.locate(f)));
    throw new ConfigException(problems.stream().distinct().sorted(IN_FILE_ORDER).toList());
  }

  private static ConfigBinding.Result bind(ObjectNode tree) {
    return new ConfigBinding(yaml, ShippedDefaults.VALUES).bind(tree);
  }

  /** A model profile may give only what differs; the rest comes from {@code model_defaults}. */
  private static void fillModelDefaults(ObjectNode root) {
    JsonNode template = root.remove("model_defaults");
    JsonNode models = root.path("llm").path("models");
    if (!(template instanceof ObjectNode) || !models.isObject()) return;
    models
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue() instanceof ObjectNode profile) {
                ObjectNode filled = ((ObjectNode) template).deepCopy();
                merge(filled, profile);
                ((ObjectNode) models).set(e.getKey(), filled);
              }
            });
  }

  /** A copy of the shipped defaults, for one load to merge into. */
  private static ObjectNode readDefaults() {
    if (ShippedDefaults.TREE == null) throw new IllegalStateException(ShippedDefaults.PROBLEM);
    return ShippedDefaults.TREE.deepCopy();
  }

  /**
   * "not valid YAML: ..." at the problem's position, with SnakeYAML's context and problem on one
   * line instead of its quoted source lines.
   */
  private static ConfigProblem syntaxError(Path file, JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
      String context =
          m.getContext() == null || m.getContextMark() == null
              ? ""
              : m.getContext()
                  + " (from line "
                  + (m.getContextMark().getLine() + 1)
                  + ", column "
                  + (m.getContextMark().getColumn() + 1)
                  + "): ";
      return new ConfigProblem(
          file.toString(),
          m.getProblemMark().getLine() + 1,
          m.getProblemMark().getColumn() + 1,
          "not valid YAML: " + context + m.getProblem());
    }
    var loc = e.getLocation();
    String message = "not valid YAML: " + e.getOriginalMessage();
    return loc == null
        ? ConfigProblem.of(file.toString(), message)
        : new ConfigProblem(file.toString(), loc.getLineNr(), loc.getColumnNr(), message);
  }

  /**
   * Each key the file writes twice in one mapping, at its second occurrence: the mapper refuses
   * them (a YAML mapping's keys are unique) but says neither which key nor where.
   */
  private static List<ConfigProblem> duplicateKeys(Path file) {
    return YamlPositions.read(file).duplicates().stream()
        .map(
            d ->
                new ConfigProblem(
                    file.toString(),
                    d.again().line(),
                    d.again().column(),
                    "'"
                        + dotted(d.key())
                        + "' is given twice (first at line "
                        + d.first().line()
                        + ")"))
        .toList();
  }

  private static JsonNode readFile(Path file) {
    if (Files.isDirectory(file)) throw ConfigException.of(file, "a folder, not a config file");
    if (!Files.isRegularFile(file)) throw ConfigException.of(file, "no such config file");
    try {
      return yaml.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      List<ConfigProblem> duplicates = duplicateKeys(file);
      throw new ConfigException(duplicates.isEmpty() ? List.of(syntaxError(file, e)) : duplicates);
    } catch (IOException e) {
      throw ConfigException.of(file, "cannot read: " + FileProblems.reason(e));
    }
  }

  /**
   * Like {@link #merge}, but a null the file writes where the defaults have a mapping or a list
   * ({@code server: ~}) is a problem, not a way to remove the section; the defaults' stays.
   */
  private static void mergeFile(
      ObjectNode target, JsonNode source, JsonPointer at, List<ConfigBinding.Failure> failures) {
    Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
    while (fields.hasNext()) {
      var entry = fields.next();
      JsonPointer here = at.appendProperty(entry.getKey());
      JsonNode existing = target.get(entry.getKey());
      if (existing instanceof ObjectNode existingObject && entry.getValue().isObject()) {
        mergeFile(existingObject, entry.getValue(), here, failures);
      } else if (existing != null && existing.isContainerNode() && entry.getValue().isNull()) {
        String expected = existing.isObject() ? "a mapping of keys to values" : "a list";
        failures.add(
            new ConfigBinding.Failure(here, false, "'" + dotted(here) + "': expected " + expected));
      } else {
        target.set(entry.getKey(), entry.getValue());
      }
    }
  }

  /** The key path as the messages write it: {@code gateway.throttle}. */
  private static String dotted(JsonPointer at) {
    return at.toString().substring(1).replace('/', '.');
  }

  private static void merge(ObjectNode target, JsonNode source) {
    Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
    while (fields.hasNext()) {
      var entry = fields.next();
      JsonNode existing = target.get(entry.getKey());
      if (existing instanceof ObjectNode existingObject && entry.getValue().isObject()) {
        merge(existingObject, entry.getValue());
      } else {
        target.set(entry.getKey(), entry.getValue());
      }
    }
  }

  /** The place a dotted override key sets, as {@link #put} reads it. */
  static JsonPointer pointer(String dottedKey) {
    JsonPointer at = JsonPointer.empty();
    for (String part : dottedKey.split("\\.")) at = at.appendProperty(part);
    return at;
  }

  private static void put(ObjectNode root, String dottedKey, Object value) {
    String[] parts = dottedKey.split("\\.");
    ObjectNode node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode child = node.get(parts[i]);
      if (!(child instanceof ObjectNode)) {
        child = node.putObject(parts[i]);
      }
      node = (ObjectNode) child;
    }
    node.set(parts[parts.length - 1], yaml.valueToTree(value));
  }

  /**
   * A configuration that cannot be used, with every problem found, one per line, each naming where
   * its value came from and the key.
   */
  public static final class ConfigException extends RuntimeException {
    private final List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
      super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
      this.problems = List.copyOf(problems);
    }

    static ConfigException of(Path file, String message) {
      return new ConfigException(List.of(ConfigProblem.of(file.toString(), message)));
    }

    public List<ConfigProblem> problems() {
      return problems;
    }
  }
}
