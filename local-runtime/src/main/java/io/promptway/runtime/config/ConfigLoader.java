package io.promptway.runtime.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
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
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
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
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Builds a {@link RuntimeConfig}: the shipped defaults, deep-merged with an optional YAML file,
 * deep-merged with overrides (from flags). Unknown keys and bad values fail with the path of the
 * key, so a typo never silently falls back to a default.
 */
public final class ConfigLoader {
  private static final String DEFAULTS = "/io/promptway/runtime/promptway-defaults.yaml";

  // Shared by every loader (a mapper is thread-safe once built): what it learns of the records by
  // reflection, and the parsed defaults, are paid for once per process, and StartupPrefetch can pay
  // for them off the main thread while the command line is parsed.
  private static final ObjectMapper yaml = mapper();

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
    ObjectNode merged = readDefaults();
    if (file != null) {
      JsonNode user = readFile(file);
      if (user != null && !user.isNull()) {
        if (!user.isObject()) throw new ConfigException(file + ": the top level must be a mapping");
        merge(merged, user);
      }
    }
    overrides.forEach((key, value) -> put(merged, key, value));
    fillModelDefaults(merged);
    RuntimeConfig config;
    try {
      config = yaml.treeToValue(merged, RuntimeConfig.class);
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException(
          source(file)
              + ": unknown key '"
              + path(e)
              + "' (known: "
              + e.getKnownPropertyIds()
              + ")");
    } catch (IOException | IllegalArgumentException e) {
      String msg =
          e instanceof JsonMappingException jme
              ? (path(jme).isEmpty() ? "" : "'" + path(jme) + "': ") + problem(jme)
              : e.getMessage();
      throw new ConfigException(source(file) + ": " + msg);
    }
    if (config.prices() != null && !config.prices().isEmpty()) {
      try {
        PriceTable.load(config.prices()); // its overrides are checked where the table is read
      } catch (IllegalArgumentException e) {
        throw new ConfigException(source(file) + ": " + e.getMessage());
      }
    }
    return config;
  }

  /** What is wrong with a value, in the words of the config file rather than of Java types. */
  private static String problem(JsonMappingException e) {
    if (e instanceof ValueInstantiationException
        && e.getCause() != null
        && e.getCause().getMessage() != null) {
      return e.getCause().getMessage();
    }
    if (e instanceof InvalidFormatException f) {
      return "'" + f.getValue() + "' is not " + expected(f.getTargetType());
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      // a primitive the file leaves out (or sets to null) arrives as null
      if (String.valueOf(m.getOriginalMessage()).startsWith("Cannot map `null`"))
        return "is required: " + expected(m.getTargetType());
      return "expected " + expected(m.getTargetType());
    }
    return e.getOriginalMessage();
  }

  private static String expected(Class<?> type) {
    if (type == null) return "a valid value";
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class)
      return "a whole number";
    if (type == double.class || type == Double.class) return "a number";
    if (type == boolean.class || type == Boolean.class) return "true or false";
    if (type == String.class) return "a string";
    if (type == Duration.class) return "a duration, e.g. 400ms, 29s, 10m, 2h";
    if (type.isEnum()) {
      return "one of "
          + Arrays.stream(type.getEnumConstants())
              .map(c -> c.toString().toLowerCase(Locale.ROOT))
              .toList();
    }
    if (Collection.class.isAssignableFrom(type)) return "a list";
    return "a mapping of keys to values";
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

  private static String source(Path file) {
    return file == null ? "configuration" : file.toString();
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (var ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (!sb.isEmpty()) sb.append('.');
        sb.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  /** A copy of the shipped defaults, for one load to merge into. */
  private static ObjectNode readDefaults() {
    if (ShippedDefaults.TREE == null) throw new IllegalStateException(ShippedDefaults.PROBLEM);
    return ShippedDefaults.TREE.deepCopy();
  }

  /**
   * "FILE:LINE:COLUMN: not valid YAML: ..." at the problem's position, with SnakeYAML's context and
   * problem on one line instead of its quoted source lines.
   */
  private static String syntaxError(Path file, JsonProcessingException e) {
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
      return file
          + ":"
          + (m.getProblemMark().getLine() + 1)
          + ":"
          + (m.getProblemMark().getColumn() + 1)
          + ": not valid YAML: "
          + context
          + m.getProblem();
    }
    var loc = e.getLocation();
    return file
        + (loc != null ? ":" + loc.getLineNr() + ":" + loc.getColumnNr() : "")
        + ": not valid YAML: "
        + e.getOriginalMessage();
  }

  private static JsonNode readFile(Path file) {
    if (Files.isDirectory(file)) throw new ConfigException(file + ": a folder, not a config file");
    if (!Files.isRegularFile(file)) throw new ConfigException(file + ": no such config file");
    try {
      return yaml.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new ConfigException(syntaxError(file, e));
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + FileProblems.reason(e));
    }
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

  /** A configuration problem a person can fix; the message names the file and key. */
  public static final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
      super(message);
    }
  }
}
