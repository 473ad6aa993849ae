package io.promptway.runtime.observability;

import java.util.List;

/** Writes a {@link MetricsRegistry} in the Prometheus text exposition format, version 0.0.4. */
public final class PrometheusText {
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private PrometheusText() {}

  public static String write(MetricsRegistry registry) {
    StringBuilder sb = new StringBuilder(4096);
    for (MetricsRegistry.Family f : registry.families()) {
      sb.append("# HELP ").append(f.name).append(' ').append(escapeHelp(f.help)).append('\n');
      sb.append("# TYPE ").append(f.name).append(' ').append(f.type()).append('\n');
      switch (f) {
        case MetricsRegistry.Counter c ->
            c.series.forEach(
                (labels, v) -> sample(sb, f.name, f.labelNames, labels, null, null, v.sum()));
        case MetricsRegistry.Gauge g -> {
          for (var e : g.read()) {
            if (e.getKey().size() == f.labelNames.length) {
              sample(sb, f.name, f.labelNames, e.getKey(), null, null, e.getValue());
            }
          }
        }
        case MetricsRegistry.Histogram h ->
            h.series.forEach(
                (labels, s) -> {
                  long[] cumulative = s.cumulative();
                  for (int i = 0; i < h.buckets.length; i++) {
                    sample(
                        sb,
                        f.name + "_bucket",
                        f.labelNames,
                        labels,
                        "le",
                        number(h.buckets[i]),
                        cumulative[i]);
                  }
                  long count = s.count.sum();
                  sample(sb, f.name + "_bucket", f.labelNames, labels, "le", "+Inf", count);
                  sample(sb, f.name + "_sum", f.labelNames, labels, null, null, s.sum.sum());
                  sample(sb, f.name + "_count", f.labelNames, labels, null, null, count);
                });
      }
    }
    return sb.toString();
  }

  private static void sample(
      StringBuilder sb,
      String name,
      String[] labelNames,
      List<String> values,
      String extraName,
      String extraValue,
      double value) {
    sb.append(name);
    if (labelNames.length > 0 || extraName != null) {
      sb.append('{');
      for (int i = 0; i < labelNames.length; i++) {
        if (i > 0) sb.append(',');
        sb.append(labelNames[i]).append("=\"").append(escapeLabel(values.get(i))).append('"');
      }
      if (extraName != null) {
        if (labelNames.length > 0) sb.append(',');
        sb.append(extraName).append("=\"").append(extraValue).append('"');
      }
      sb.append('}');
    }
    sb.append(' ').append(number(value)).append('\n');
  }

  static String number(double v) {
    if (Double.isNaN(v)) return "NaN";
    if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
    return Double.toString(v);
  }

  private static String escapeLabel(String s) {
    if (s.indexOf('\\') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static String escapeHelp(String s) {
    return s.replace("\\", "\\\\").replace("\n", "\\n");
  }
}
