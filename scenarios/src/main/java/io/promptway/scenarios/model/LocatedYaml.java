package io.promptway.scenarios.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML document read into a Jackson tree together with the source position of every value, keyed
 * by JSON pointer ({@code /load/stages/0/rate}), so validation can say where a bad value is.
 */
public final class LocatedYaml {
  private static final YAMLFactory FACTORY = new YAMLFactory();

  private final String file;
  private final JsonNode root;
  private final Map<String, SourceLocation> locations;
  private final List<ScenarioException.Problem> duplicateKeys;

  private LocatedYaml(
      String file,
      JsonNode root,
      Map<String, SourceLocation> locations,
      List<ScenarioException.Problem> duplicateKeys) {
    this.file = file;
    this.root = root;
    this.locations = locations;
    this.duplicateKeys = List.copyOf(duplicateKeys);
  }

  /** Parses {@code text}; {@code file} is only used in locations and messages. */
  public static LocatedYaml parse(String file, String text) {
    Map<String, SourceLocation> locations = new HashMap<>();
    List<ScenarioException.Problem> duplicates = new ArrayList<>();
    try (JsonParser parser = FACTORY.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null)
        return new LocatedYaml(file, JsonNodeFactory.instance.nullNode(), locations, duplicates);
      JsonNode root = new Reader(parser, file, locations, duplicates).read("");
      return new LocatedYaml(file, root, locations, duplicates);
    } catch (JsonProcessingException e) {
      throw new ScenarioException(List.of(syntaxProblem(file, e)));
    } catch (IOException e) {
      throw new ScenarioException(file, "cannot read: " + e.getMessage());
    }
  }

  /**
   * SnakeYAML's context and problem on one line, at the problem's position, without the source
   * lines it quotes (the position already says where to look).
   */
  private static ScenarioException.Problem syntaxProblem(String file, JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
      String context = "";
      if (m.getContext() != null) {
        context = m.getContext();
        if (m.getContextMark() != null)
          context +=
              " (from line "
                  + (m.getContextMark().getLine() + 1)
                  + ", column "
                  + (m.getContextMark().getColumn() + 1)
                  + ")";
        context += ": ";
      }
      return new ScenarioException.Problem(
          "",
          "not valid YAML: " + context + m.getProblem(),
          new SourceLocation(
              file, m.getProblemMark().getLine() + 1, m.getProblemMark().getColumn() + 1));
    }
    JsonLocation loc = e.getLocation();
    SourceLocation where =
        loc == null
            ? new SourceLocation(file, 1, 1)
            : new SourceLocation(file, loc.getLineNr(), loc.getColumnNr());
    return new ScenarioException.Problem(
        "", "not valid YAML: " + e.getOriginalMessage().strip(), where);
  }

  /** Builds the tree, noting each value's position and every key repeated within a mapping. */
  private record Reader(
      JsonParser parser,
      String file,
      Map<String, SourceLocation> locations,
      List<ScenarioException.Problem> duplicates) {

    JsonNode read(String pointer) throws IOException {
      locations.put(pointer, here());
      JsonNodeFactory nodes = JsonNodeFactory.instance;
      JsonToken token = parser.currentToken();
      switch (token) {
        case START_OBJECT -> {
          ObjectNode object = nodes.objectNode();
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            String child = pointer + "/" + name.replace("~", "~0").replace("/", "~1");
            SourceLocation key = here();
            if (object.has(name)) duplicate(name, child, key);
            parser.nextToken();
            object.set(name, read(child));
            locations.putIfAbsent(child + "#key", key);
          }
          return object;
        }
        case START_ARRAY -> {
          ArrayNode array = nodes.arrayNode();
          int i = 0;
          while (parser.nextToken() != JsonToken.END_ARRAY) array.add(read(pointer + "/" + i++));
          return array;
        }
        case VALUE_STRING -> {
          return nodes.textNode(parser.getText());
        }
        case VALUE_NUMBER_INT -> {
          return nodes.numberNode(parser.getLongValue());
        }
        case VALUE_NUMBER_FLOAT -> {
          return nodes.numberNode(parser.getDoubleValue());
        }
        case VALUE_TRUE, VALUE_FALSE -> {
          return nodes.booleanNode(parser.getBooleanValue());
        }
        case VALUE_NULL -> {
          return nodes.nullNode();
        }
        default -> throw new IOException("unexpected YAML token " + token);
      }
    }

    private SourceLocation here() {
      JsonLocation loc = parser.currentTokenLocation();
      return new SourceLocation(file, loc.getLineNr(), loc.getColumnNr());
    }

    private void duplicate(String name, String pointer, SourceLocation second) {
      SourceLocation first = locations.get(pointer + "#key");
      duplicates.add(
          new ScenarioException.Problem(
              pointer + "#key",
              "duplicate key '"
                  + name
                  + "'"
                  + (first == null ? "" : " (first at line " + first.line() + ")")
                  + ": a key may appear once in a mapping",
              second));
    }
  }

  public String file() {
    return file;
  }

  public JsonNode root() {
    return root;
  }

  /** One problem for each key written twice in the same mapping, at its second occurrence. */
  public List<ScenarioException.Problem> duplicateKeys() {
    return duplicateKeys;
  }

  /** Where the value at {@code pointer} is; falls back to the nearest enclosing value. */
  public SourceLocation locationOf(String pointer) {
    String p = pointer;
    while (true) {
      SourceLocation loc = locations.get(p);
      if (loc != null) return loc;
      if (p.isEmpty()) return new SourceLocation(file, 1, 1);
      p = p.substring(0, p.lastIndexOf('/'));
    }
  }
}
