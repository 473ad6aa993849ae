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

  private LocatedYaml(String file, JsonNode root, Map<String, SourceLocation> locations) {
    this.file = file;
    this.root = root;
    this.locations = locations;
  }

  /** Parses {@code text}; {@code file} is only used in locations and messages. */
  public static LocatedYaml parse(String file, String text) {
    Map<String, SourceLocation> locations = new HashMap<>();
    try (JsonParser parser = FACTORY.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null)
        return new LocatedYaml(file, JsonNodeFactory.instance.nullNode(), locations);
      JsonNode root = read(parser, "", file, locations);
      return new LocatedYaml(file, root, locations);
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

  private static JsonNode read(
      JsonParser parser, String pointer, String file, Map<String, SourceLocation> locations)
      throws IOException {
    JsonLocation loc = parser.currentTokenLocation();
    locations.put(pointer, new SourceLocation(file, loc.getLineNr(), loc.getColumnNr()));
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT -> {
        ObjectNode object = nodes.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          String child = pointer + "/" + name.replace("~", "~0").replace("/", "~1");
          JsonLocation keyLoc = parser.currentTokenLocation();
          parser.nextToken();
          object.set(name, read(parser, child, file, locations));
          locations.putIfAbsent(
              child + "#key", new SourceLocation(file, keyLoc.getLineNr(), keyLoc.getColumnNr()));
        }
        return object;
      }
      case START_ARRAY -> {
        ArrayNode array = nodes.arrayNode();
        int i = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(read(parser, pointer + "/" + i++, file, locations));
        }
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

  public String file() {
    return file;
  }

  public JsonNode root() {
    return root;
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
