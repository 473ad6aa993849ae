package io.promptway.runtime.config;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Binds the merged configuration tree to {@link RuntimeConfig}, finding every problem rather than
 * the first. Jackson stops at the first one, so the offending value is then replaced by the shipped
 * one (or removed where nothing is shipped) and the tree bound again, until it binds. A value that
 * fails again after its replacement takes its enclosing mapping with it, so the search ends. A
 * check that compares two settings and names the replaced one is not reported; one that does not
 * name it (a bound taken from another setting) may be.
 */
final class ConfigBinding {
  /**
   * What is wrong, in the words of the config file, and where: the key itself when {@code atKey}.
   */
  record Failure(JsonPointer at, boolean atKey, String message) {}

  /** The config, null when the tree could not be bound at all; valid only without failures. */
  record Result(RuntimeConfig config, List<Failure> failures) {}

  private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
  private static final Pattern LEADING_KEY = Pattern.compile("^([a-z][a-z0-9_]*)(?:\\[(\\d+)])?");
  private static final Pattern NEXT_KEY = Pattern.compile("^\\.([^\\s.'\"\\[]+)");

  private final ObjectMapper mapper;
  private final ShippedValues shipped;

  ConfigBinding(ObjectMapper mapper, ShippedValues shipped) {
    this.mapper = mapper;
    this.shipped = shipped;
  }

  /** Binds {@code tree}, which is changed where a value has to be replaced. */
  Result bind(ObjectNode tree) {
    List<Failure> failures = new ArrayList<>();
    Set<JsonPointer> reported = new HashSet<>();
    Set<JsonPointer> replaced = new HashSet<>();
    while (true) {
      try {
        return new Result(mapper.treeToValue(tree, RuntimeConfig.class), failures);
      } catch (JsonMappingException e) {
        Failure failure = failure(e, tree);
        if (!againstStandIn(e, failure.at(), replaced) && reported.add(failure.at()))
          failures.add(failure);
        JsonPointer target = failure.at();
        while (!target.matches() && !replaced.add(target)) target = target.head();
        if (target.matches()) return new Result(null, failures);
        replace(tree, target);
      } catch (JsonProcessingException | IllegalArgumentException e) {
        failures.add(new Failure(JsonPointer.empty(), false, e.getMessage()));
        return new Result(null, failures);
      }
    }
  }

  /**
   * Whether a record's check failed on comparing with a value put in for another key of the record
   * (its message names that key: "retry_max must be at least retry_base (2s)"), which says nothing
   * of what the file wrote.
   */
  private static boolean againstStandIn(
      JsonMappingException e, JsonPointer at, Set<JsonPointer> replaced) {
    if (!(e instanceof ValueInstantiationException) || e.getCause() == null) return false;
    String check = String.valueOf(e.getCause().getMessage());
    return replaced.stream()
        .filter(r -> r.last().getMatchingIndex() < 0 && r.head().equals(at.head()))
        .filter(r -> !r.equals(at))
        .map(r -> Pattern.compile("\\b" + Pattern.quote(r.last().getMatchingProperty()) + "\\b"))
        .anyMatch(name -> name.matcher(check).find());
  }

  private void replace(ObjectNode tree, JsonPointer target) {
    JsonNode parent = tree.at(target.head());
    JsonNode value = shipped.at(target);
    if (parent instanceof ObjectNode mapping) {
      String key = target.last().getMatchingProperty();
      if (value == null) mapping.remove(key);
      else mapping.set(key, value.deepCopy());
    } else if (parent instanceof ArrayNode list && value != null) {
      int index = target.last().getMatchingIndex();
      if (index >= 0 && index < list.size()) list.set(index, value.deepCopy());
    }
    // else the next failure there replaces the enclosing list or mapping
  }

  private static Failure failure(JsonMappingException e, JsonNode tree) {
    JsonPointer at = pointer(e);
    String path = dotted(e);
    if (e instanceof UnrecognizedPropertyException u) {
      return new Failure(
          at, true, "unknown key '" + path + "' (known: " + u.getKnownPropertyIds() + ")");
    }
    String problem = problem(e);
    if (e instanceof ValueInstantiationException v && v.getType() != null)
      at = offendingKey(at, v.getType().getRawClass(), problem, tree);
    return new Failure(at, false, (path.isEmpty() ? "" : "'" + path + "': ") + problem);
  }

  /**
   * The setting a record's own check names where its message begins ("port must be ...",
   * "retry_schedule[1] must ...", "bus.processors.x.model '...' ..."), so that the problem is
   * placed on that key's line; the record itself when the message begins with none of its keys. The
   * checks are written in the records, which throw plain messages; a name is taken only when it is
   * one of the record's keys and, further down, one the tree has.
   */
  static JsonPointer offendingKey(
      JsonPointer record, Class<?> type, String message, JsonNode tree) {
    Matcher leading = LEADING_KEY.matcher(message);
    if (!type.isRecord() || !leading.find() || !keysOf(type).contains(leading.group(1)))
      return record;
    JsonPointer at = record.appendProperty(leading.group(1));
    if (leading.group(2) != null) return at.appendIndex(Integer.parseInt(leading.group(2)));
    String rest = message.substring(leading.end());
    for (Matcher next = NEXT_KEY.matcher(rest); next.find(); next = NEXT_KEY.matcher(rest)) {
      JsonPointer deeper = at.appendProperty(next.group(1));
      if (tree.at(deeper).isMissingNode()) break;
      at = deeper;
      rest = rest.substring(next.end());
    }
    return at;
  }

  private static List<String> keysOf(Class<?> record) {
    return Arrays.stream(record.getRecordComponents())
        .map(c -> SNAKE_CASE.translate(c.getName()))
        .toList();
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

  private static JsonPointer pointer(JsonMappingException e) {
    JsonPointer at = JsonPointer.empty();
    for (var ref : e.getPath()) {
      if (ref.getFieldName() != null) at = at.appendProperty(ref.getFieldName());
      else if (ref.getIndex() >= 0) at = at.appendIndex(ref.getIndex());
    }
    return at;
  }

  /** The key path as the messages write it: {@code webhook.retry_schedule[1]}. */
  private static String dotted(JsonMappingException e) {
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
}
