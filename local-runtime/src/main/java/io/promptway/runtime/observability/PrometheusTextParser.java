package io.promptway.runtime.observability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A strict reader of the Prometheus text format 0.0.4, for tests and tools that scrape {@code
 * /metrics}: every sample must belong to a family declared by {@code # TYPE} before it, names and
 * labels must be well formed, series must not repeat, and histograms must have cumulative buckets
 * ending in {@code +Inf} equal to {@code _count}. Any violation throws with the line number.
 */
public final class PrometheusTextParser {
  private PrometheusTextParser() {}

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  /** A metric family with its type and samples. */
  public record Family(String name, String type, String help, List<Sample> samples) {
    /** The value of the sample with exactly these labels (and this sample name), or NaN. */
    public double value(String sampleName, Map<String, String> labels) {
      for (Sample s : samples)
        if (s.name.equals(sampleName) && s.labels.equals(labels)) return s.value;
      return Double.NaN;
    }

    /** The sum over samples of {@code sampleName} whose labels include all of {@code match}. */
    public double sum(String sampleName, Map<String, String> match) {
      double total = 0;
      for (Sample s : samples) {
        if (s.name.equals(sampleName) && s.labels.entrySet().containsAll(match.entrySet()))
          total += s.value;
      }
      return total;
    }
  }

  public static Map<String, Family> parse(String text) {
    Map<String, Family> families = new LinkedHashMap<>();
    Map<String, String> help = new HashMap<>();
    Set<String> seenSeries = new HashSet<>();
    String[] lines = text.split("\n", -1);
    if (!text.isEmpty() && !text.endsWith("\n"))
      throw new IllegalArgumentException("the exposition must end with a newline");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int n = i + 1;
      if (line.isEmpty()) continue;
      if (line.startsWith("# HELP ")) {
        String rest = line.substring(7);
        int sp = rest.indexOf(' ');
        String name = sp < 0 ? rest : rest.substring(0, sp);
        checkName(name, n);
        if (help.put(name, sp < 0 ? "" : rest.substring(sp + 1)) != null)
          fail(n, "second HELP for " + name);
      } else if (line.startsWith("# TYPE ")) {
        String[] parts = line.substring(7).split(" ");
        if (parts.length != 2) fail(n, "TYPE needs a name and a type");
        checkName(parts[0], n);
        if (!Set.of("counter", "gauge", "histogram", "summary", "untyped").contains(parts[1]))
          fail(n, "unknown type " + parts[1]);
        if (families.containsKey(parts[0])) fail(n, "second TYPE for " + parts[0]);
        families.put(
            parts[0], new Family(parts[0], parts[1], help.get(parts[0]), new ArrayList<>()));
      } else if (line.startsWith("#")) {
        continue;
      } else {
        Sample s = sample(line, n);
        Family f = familyOf(families, s.name);
        if (f == null) fail(n, "sample " + s.name + " has no TYPE declared before it");
        if (!seenSeries.add(s.name + s.labels)) fail(n, "duplicate series " + s.name + s.labels);
        if (f.type.equals("counter") && s.value < 0) fail(n, "negative counter");
        f.samples.add(s);
      }
    }
    for (Family f : families.values()) if (f.type.equals("histogram")) checkHistogram(f);
    return families;
  }

  private static Family familyOf(Map<String, Family> families, String sampleName) {
    Family f = families.get(sampleName);
    if (f != null) return f;
    for (String suffix : List.of("_bucket", "_sum", "_count")) {
      if (sampleName.endsWith(suffix)) {
        Family h = families.get(sampleName.substring(0, sampleName.length() - suffix.length()));
        if (h != null && (h.type.equals("histogram") || h.type.equals("summary"))) return h;
      }
    }
    return null;
  }

  private static void checkHistogram(Family f) {
    Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
    Map<Map<String, String>, Double> counts = new HashMap<>();
    for (Sample s : f.samples) {
      Map<String, String> base = new LinkedHashMap<>(s.labels);
      if (s.name.endsWith("_bucket")) {
        if (base.remove("le") == null)
          throw new IllegalArgumentException(f.name + ": bucket without le");
        buckets.computeIfAbsent(base, k -> new ArrayList<>()).add(s);
      } else if (s.name.endsWith("_count")) {
        counts.put(base, s.value);
      }
    }
    buckets.forEach(
        (labels, list) -> {
          double prevLe = Double.NEGATIVE_INFINITY;
          double prev = 0;
          for (Sample b : list) {
            double le = parseValue(b.labels.get("le"), -1);
            if (le <= prevLe)
              throw new IllegalArgumentException(f.name + labels + ": le not increasing");
            if (b.value < prev)
              throw new IllegalArgumentException(f.name + labels + ": buckets not cumulative");
            prevLe = le;
            prev = b.value;
          }
          if (!Double.isInfinite(prevLe))
            throw new IllegalArgumentException(f.name + labels + ": no +Inf bucket");
          Double count = counts.get(labels);
          if (count == null || count != prev)
            throw new IllegalArgumentException(
                f.name + labels + ": +Inf bucket differs from _count");
        });
  }

  private static Sample sample(String line, int n) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') i++;
    String name = line.substring(0, i);
    checkName(name, n);
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        if (eq < 0) fail(n, "label without =");
        String label = line.substring(i, eq);
        if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*")) fail(n, "bad label name '" + label + "'");
        if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"')
          fail(n, "label value must be quoted");
        StringBuilder v = new StringBuilder();
        int j = eq + 2;
        while (true) {
          if (j >= line.length()) fail(n, "unterminated label value");
          char c = line.charAt(j);
          if (c == '"') break;
          if (c == '\\') {
            char e = line.charAt(++j);
            if (e == 'n') v.append('\n');
            else if (e == '\\' || e == '"') v.append(e);
            else fail(n, "bad escape \\" + e);
          } else {
            v.append(c);
          }
          j++;
        }
        if (labels.put(label, v.toString()) != null) fail(n, "label " + label + " repeated");
        i = j + 1;
        if (line.charAt(i) == ',') i++;
        else if (line.charAt(i) != '}') fail(n, "expected , or } after a label");
      }
      i++;
    }
    if (i >= line.length() || line.charAt(i) != ' ') fail(n, "expected a space before the value");
    String[] rest = line.substring(i + 1).split(" ");
    if (rest.length < 1 || rest.length > 2) fail(n, "expected a value and an optional timestamp");
    double value = parseValue(rest[0], n);
    if (rest.length == 2) {
      try {
        Long.parseLong(rest[1]);
      } catch (NumberFormatException e) {
        fail(n, "bad timestamp " + rest[1]);
      }
    }
    return new Sample(name, labels, value);
  }

  private static double parseValue(String v, int n) {
    return switch (v) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> {
        try {
          yield Double.parseDouble(v);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("line " + n + ": bad value '" + v + "'");
        }
      }
    };
  }

  private static void checkName(String name, int n) {
    if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) fail(n, "bad metric name '" + name + "'");
  }

  private static void fail(int line, String message) {
    throw new IllegalArgumentException("line " + line + ": " + message);
  }
}
