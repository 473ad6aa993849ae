package io.promptway.runtime.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each key and value of a YAML file is, by JSON pointer ({@code /gateway/cors/max_age}), read
 * from the same token stream Jackson builds its tree from, so a pointer into that tree finds its
 * line. A key written twice is where its last occurrence is, as in the tree, and is one of the
 * {@link #duplicates}.
 */
final class YamlPositions {
  private static final YAMLFactory FACTORY = new YAMLFactory();

  /** A 1-based line and column. */
  record Position(int line, int column) {}

  /** A key written twice in one mapping: where it is first, and where again. */
  record Duplicate(JsonPointer key, Position first, Position again) {}

  private final Map<String, Position> keys;
  private final Map<String, Position> scalars;
  private final Map<String, Position> containers;
  private final List<Duplicate> duplicates;

  private YamlPositions(
      Map<String, Position> keys,
      Map<String, Position> scalars,
      Map<String, Position> containers,
      List<Duplicate> duplicates) {
    this.keys = keys;
    this.scalars = scalars;
    this.containers = containers;
    this.duplicates = duplicates;
  }

  /** No file: nothing is written anywhere. */
  static YamlPositions none() {
    return new YamlPositions(Map.of(), Map.of(), Map.of(), List.of());
  }

  /** The positions in {@code file}; none when it cannot be read (its tree could not be either). */
  static YamlPositions read(Path file) {
    Map<String, Position> keys = new HashMap<>();
    Map<String, Position> scalars = new HashMap<>();
    Map<String, Position> containers = new HashMap<>();
    List<Duplicate> duplicates = new ArrayList<>();
    try (JsonParser parser = FACTORY.createParser(file.toFile())) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        String pointer = parser.getParsingContext().pathAsPointer().toString();
        JsonLocation at = parser.currentTokenLocation();
        Position here = new Position(at.getLineNr(), at.getColumnNr());
        if (token == JsonToken.FIELD_NAME) {
          Position first = keys.put(pointer, here);
          if (first != null && !within(duplicates, pointer))
            duplicates.add(new Duplicate(JsonPointer.compile(pointer), first, here));
        } else if (token.isScalarValue()) scalars.put(pointer, here);
        else if (token.isStructStart()) containers.put(pointer, here);
      }
    } catch (IOException e) {
      return none();
    }
    return new YamlPositions(keys, scalars, containers, duplicates);
  }

  /** Whether {@code pointer} is inside a key already found twice (its keys are then too). */
  private static boolean within(List<Duplicate> duplicates, String pointer) {
    return duplicates.stream().anyMatch(d -> pointer.startsWith(d.key() + "/"));
  }

  /** The keys written twice in one mapping, in the order of their second occurrence. */
  List<Duplicate> duplicates() {
    return duplicates;
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
