package io.promptway.runtime.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each key and value of a YAML file is, by JSON pointer ({@code /gateway/cors/max_age}), read
 * from the same token stream Jackson builds its tree from, so a pointer into that tree finds its
 * line. A key written twice is where its last occurrence is, as in the tree.
 */
final class YamlPositions {
  private static final YAMLFactory FACTORY = new YAMLFactory();

  /** A 1-based line and column. */
  record Position(int line, int column) {}

  private final Map<String, Position> keys;
  private final Map<String, Position> scalars;
  private final Map<String, Position> containers;

  private YamlPositions(
      Map<String, Position> keys, Map<String, Position> scalars, Map<String, Position> containers) {
    this.keys = keys;
    this.scalars = scalars;
    this.containers = containers;
  }

  /** No file: nothing is written anywhere. */
  static YamlPositions none() {
    return new YamlPositions(Map.of(), Map.of(), Map.of());
  }

  /** The positions in {@code file}; none when it cannot be read (its tree could not be either). */
  static YamlPositions read(Path file) {
    Map<String, Position> keys = new HashMap<>();
    Map<String, Position> scalars = new HashMap<>();
    Map<String, Position> containers = new HashMap<>();
    try (JsonParser parser = FACTORY.createParser(file.toFile())) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        String pointer = parser.getParsingContext().pathAsPointer().toString();
        JsonLocation at = parser.currentTokenLocation();
        Position here = new Position(at.getLineNr(), at.getColumnNr());
        if (token == JsonToken.FIELD_NAME) keys.put(pointer, here);
        else if (token.isScalarValue()) scalars.put(pointer, here);
        else if (token.isStructStart()) containers.put(pointer, here);
      }
    } catch (IOException e) {
      return none();
    }
    return new YamlPositions(keys, scalars, containers);
  }

  /** Whether the file writes a value (or a key) at {@code pointer}. */
  boolean writes(JsonPointer pointer) {
    String p = pointer.toString();
    return keys.containsKey(p) || scalars.containsKey(p) || containers.containsKey(p);
  }

  /**
   * Where the value at {@code pointer} is: a scalar where it is written, a mapping or list where
   * its key is (its first entry may be lines below); null when the file does not write it.
   */
  Position valueAt(JsonPointer pointer) {
    String p = pointer.toString();
    Position scalar = scalars.get(p);
    if (scalar != null) return scalar;
    Position key = keys.get(p);
    return key != null ? key : containers.get(p);
  }

  /** Where the key of {@code pointer} is written; null when the file does not write it. */
  Position keyAt(JsonPointer pointer) {
    Position key = keys.get(pointer.toString());
    return key != null ? key : valueAt(pointer);
  }
}
