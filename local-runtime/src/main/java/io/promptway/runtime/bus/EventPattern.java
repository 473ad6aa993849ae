package io.promptway.runtime.bus;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An EventBridge event pattern, matched against the event's JSON (for CloudEvents: {@code type},
 * {@code source}, {@code data.*}). Every field of the pattern must match (AND); a field lists the
 * values it accepts (OR). A value is a literal (exact match; numbers compare numerically) or one of
 * {@code {"prefix": s}}, {@code {"suffix": s}}, {@code {"equals-ignore-case": s}}, {@code
 * {"anything-but": v | [v...] | {"prefix": s}}}, {@code {"numeric": [">", 5, "<=", 10]}}, {@code
 * {"exists": true|false}}. An event field holding an array matches when any element matches.
 *
 * <p>Not modelled: {@code wildcard}, {@code cidr}, {@code $or}, and EventBridge's size limits.
 */
public final class EventPattern {
  private final Map<String, Object> fields; // name -> EventPattern (nested) or List<Matcher>

  private EventPattern(Map<String, Object> fields) {
    this.fields = fields;
  }

  /** Compiles a pattern; throws IllegalArgumentException naming the bad path. */
  public static EventPattern compile(JsonNode pattern) {
    return compile(pattern, "pattern");
  }

  private static EventPattern compile(JsonNode node, String path) {
    if (node == null || !node.isObject())
      throw new IllegalArgumentException(path + " must be a JSON object");
    Map<String, Object> fields = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      var e = it.next();
      String at = path + "." + e.getKey();
      JsonNode v = e.getValue();
      if (v.isObject()) {
        fields.put(e.getKey(), compile(v, at));
      } else if (v.isArray()) {
        if (v.isEmpty()) throw new IllegalArgumentException(at + " must list at least one value");
        List<Matcher> matchers = new ArrayList<>();
        for (JsonNode m : v) matchers.add(Matcher.compile(m, at));
        fields.put(e.getKey(), matchers);
      } else {
        throw new IllegalArgumentException(at + " must be an array of values or a nested object");
      }
    }
    return new EventPattern(fields);
  }

  public boolean matches(JsonNode event) {
    for (var e : fields.entrySet()) {
      JsonNode value = event == null ? null : event.get(e.getKey());
      if (e.getValue() instanceof EventPattern nested) {
        if (value == null || !value.isObject() || !nested.matches(value)) return false;
      } else {
        @SuppressWarnings("unchecked")
        List<Matcher> matchers = (List<Matcher>) e.getValue();
        if (!anyMatches(matchers, value)) return false;
      }
    }
    return true;
  }

  private static boolean anyMatches(List<Matcher> matchers, JsonNode value) {
    for (Matcher m : matchers) {
      if (value != null && value.isArray() && !(m instanceof Exists)) {
        for (JsonNode element : value) if (m.matches(element)) return true;
      } else if (m.matches(value)) {
        return true;
      }
    }
    return false;
  }

  private sealed interface Matcher
      permits Exact, Prefix, Suffix, IgnoreCase, AnythingBut, Numeric, Exists {
    /**
     * @param value the event's value, or null when the field is absent
     */
    boolean matches(JsonNode value);

    static Matcher compile(JsonNode m, String at) {
      if (!m.isObject()) {
        if (m.isContainerNode())
          throw new IllegalArgumentException(at + ": nested arrays are not allowed");
        return new Exact(m);
      }
      if (m.size() != 1)
        throw new IllegalArgumentException(at + ": a matcher object has exactly one key");
      String op = m.fieldNames().next();
      JsonNode arg = m.get(op);
      return switch (op) {
        case "prefix" -> new Prefix(text(arg, at, op));
        case "suffix" -> new Suffix(text(arg, at, op));
        case "equals-ignore-case" -> new IgnoreCase(text(arg, at, op));
        case "exists" -> {
          if (!arg.isBoolean())
            throw new IllegalArgumentException(at + ": exists takes true or false");
          yield new Exists(arg.booleanValue());
        }
        case "numeric" -> Numeric.compile(arg, at);
        case "anything-but" -> AnythingBut.compile(arg, at);
        default ->
            throw new IllegalArgumentException(
                at
                    + ": unknown matcher '"
                    + op
                    + "' (known: prefix, suffix, equals-ignore-case, anything-but, numeric, exists)");
      };
    }

    private static String text(JsonNode arg, String at, String op) {
      if (!arg.isTextual()) throw new IllegalArgumentException(at + ": " + op + " takes a string");
      return arg.textValue();
    }
  }

  private record Exact(JsonNode expected) implements Matcher {
    public boolean matches(JsonNode value) {
      if (value == null) return false;
      if (expected.isNumber() && value.isNumber())
        return expected.decimalValue().compareTo(value.decimalValue()) == 0;
      return expected.equals(value);
    }
  }

  private record Prefix(String prefix) implements Matcher {
    public boolean matches(JsonNode value) {
      return value != null && value.isTextual() && value.textValue().startsWith(prefix);
    }
  }

  private record Suffix(String suffix) implements Matcher {
    public boolean matches(JsonNode value) {
      return value != null && value.isTextual() && value.textValue().endsWith(suffix);
    }
  }

  private record IgnoreCase(String text) implements Matcher {
    public boolean matches(JsonNode value) {
      return value != null && value.isTextual() && value.textValue().equalsIgnoreCase(text);
    }
  }

  private record Exists(boolean expected) implements Matcher {
    public boolean matches(JsonNode value) {
      return (value != null && !value.isNull()) == expected;
    }
  }

  private record AnythingBut(List<Matcher> excluded) implements Matcher {
    static AnythingBut compile(JsonNode arg, String at) {
      List<Matcher> excluded = new ArrayList<>();
      if (arg.isArray()) {
        for (JsonNode v : arg) excluded.add(new Exact(v));
      } else if (arg.isObject()) {
        Matcher inner = Matcher.compile(arg, at);
        if (!(inner instanceof Prefix || inner instanceof Suffix || inner instanceof IgnoreCase)) {
          throw new IllegalArgumentException(
              at + ": anything-but takes values, prefix, suffix or equals-ignore-case");
        }
        excluded.add(inner);
      } else {
        excluded.add(new Exact(arg));
      }
      return new AnythingBut(excluded);
    }

    public boolean matches(JsonNode value) {
      if (value == null) return false;
      for (Matcher m : excluded) if (m.matches(value)) return false;
      return true;
    }
  }

  private record Numeric(List<String> ops, List<Double> bounds) implements Matcher {
    static Numeric compile(JsonNode arg, String at) {
      if (!arg.isArray() || arg.isEmpty() || arg.size() % 2 != 0 || arg.size() > 4) {
        throw new IllegalArgumentException(at + ": numeric takes [op, n] or [op, n, op, n]");
      }
      List<String> ops = new ArrayList<>();
      List<Double> bounds = new ArrayList<>();
      for (int i = 0; i < arg.size(); i += 2) {
        String op = arg.get(i).asText();
        if (!List.of("=", "<", "<=", ">", ">=").contains(op) || !arg.get(i + 1).isNumber()) {
          throw new IllegalArgumentException(
              at + ": numeric operators are =, <, <=, >, >= followed by a number");
        }
        ops.add(op);
        bounds.add(arg.get(i + 1).doubleValue());
      }
      return new Numeric(ops, bounds);
    }

    public boolean matches(JsonNode value) {
      if (value == null || !value.isNumber()) return false;
      double v = value.doubleValue();
      for (int i = 0; i < ops.size(); i++) {
        double b = bounds.get(i);
        boolean ok =
            switch (ops.get(i)) {
              case "=" -> v == b;
              case "<" -> v < b;
              case "<=" -> v <= b;
              case ">" -> v > b;
              default -> v >= b;
            };
        if (!ok) return false;
      }
      return true;
    }
  }
}
