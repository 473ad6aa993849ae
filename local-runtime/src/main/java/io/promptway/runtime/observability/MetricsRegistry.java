package io.promptway.runtime.observability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * A small in-process metrics registry in the Prometheus data model: counters and histograms with
 * labels, and gauges read at scrape time from suppliers that any service can register (queue depth,
 * open streams, sessions). Updates are adders in a concurrent map, cheap enough for the hot path.
 * It does not do summaries, exemplars or label-cardinality limits beyond what callers pass in.
 */
public final class MetricsRegistry {
  private final List<Family> families = new CopyOnWriteArrayList<>();
  private final Map<String, Family> byName = new ConcurrentHashMap<>();

  public Counter counter(String name, String help, String... labelNames) {
    return (Counter) register(new Counter(name, help, labelNames));
  }

  public Histogram histogram(String name, String help, double[] buckets, String... labelNames) {
    return (Histogram) register(new Histogram(name, help, buckets, labelNames));
  }

  /** A gauge with no labels, read when scraped. */
  public void gauge(String name, String help, DoubleSupplier value) {
    register(new Gauge(name, help, new String[0], () -> Map.of(List.of(), value.getAsDouble())));
  }

  /**
   * A labelled gauge read when scraped: the supplier returns label values (in {@code labelNames}
   * order) to the current value. Registering the same name again adds to the same family, so
   * several patterns can each report their own series (e.g. open streams per pattern).
   */
  public void gauge(
      String name,
      String help,
      List<String> labelNames,
      Supplier<Map<List<String>, Double>> values) {
    Family existing = byName.get(name);
    if (existing instanceof Gauge g) {
      g.suppliers.add(values);
      return;
    }
    register(new Gauge(name, help, labelNames.toArray(String[]::new), values));
  }

  List<Family> families() {
    return Collections.unmodifiableList(families);
  }

  /** The whole registry in the Prometheus text exposition format 0.0.4. */
  public String scrape() {
    return PrometheusText.write(this);
  }

  private synchronized Family register(Family f) {
    Family existing = byName.get(f.name);
    if (existing != null) {
      if (existing.getClass() == f.getClass() && Arrays.equals(existing.labelNames, f.labelNames)) {
        return existing;
      }
      throw new IllegalArgumentException("metric " + f.name + " is already registered differently");
    }
    byName.put(f.name, f);
    families.add(f);
    return f;
  }

  /** A metric name with its help text, type and label names. */
  public abstract static sealed class Family permits Counter, Histogram, Gauge {
    final String name;
    final String help;
    final String[] labelNames;

    Family(String name, String help, String[] labelNames) {
      if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*"))
        throw new IllegalArgumentException("bad metric name " + name);
      for (String l : labelNames) {
        if (!l.matches("[a-zA-Z_][a-zA-Z0-9_]*") || l.startsWith("__")) {
          throw new IllegalArgumentException("bad label name " + l);
        }
      }
      this.name = name;
      this.help = help;
      this.labelNames = labelNames.clone();
    }

    abstract String type();

    List<String> key(String... values) {
      if (values.length != labelNames.length) {
        throw new IllegalArgumentException(
            name
                + " takes labels "
                + Arrays.toString(labelNames)
                + ", got "
                + values.length
                + " values");
      }
      for (int i = 0; i < values.length; i++) {
        if (values[i] == null) {
          String[] v = values.clone();
          for (int j = i; j < v.length; j++) if (v[j] == null) v[j] = "";
          return List.of(v);
        }
      }
      return List.of(values); // copies
    }
  }

  /** A monotonically increasing sum per label set. */
  public static final class Counter extends Family {
    final ConcurrentHashMap<List<String>, DoubleAdder> series = new ConcurrentHashMap<>();

    Counter(String name, String help, String[] labelNames) {
      super(name, help, labelNames);
    }

    public void inc(String... labelValues) {
      add(1, labelValues);
    }

    public void add(double amount, String... labelValues) {
      checkUp(amount); // before the series exists: a refused add leaves none
      series(labelValues).add(amount);
    }

    /** The series of one label set, for a caller that adds to it often. */
    public Child labels(String... labelValues) {
      return new Child(series(labelValues));
    }

    private DoubleAdder series(String... labelValues) {
      return series.computeIfAbsent(key(labelValues), k -> new DoubleAdder());
    }

    private static void checkUp(double amount) {
      if (!(amount >= 0)) throw new IllegalArgumentException("counters only go up, got " + amount);
    }

    /** One label set's sum. */
    public static final class Child {
      private final DoubleAdder sum;

      private Child(DoubleAdder sum) {
        this.sum = sum;
      }

      public void add(double amount) {
        checkUp(amount);
        sum.add(amount);
      }
    }

    public double value(String... labelValues) {
      DoubleAdder a = series.get(key(labelValues));
      return a == null ? 0 : a.sum();
    }

    @Override
    String type() {
      return "counter";
    }
  }

  /** Observations counted into cumulative buckets, with their sum and count, per label set. */
  public static final class Histogram extends Family {
    final double[] buckets;
    final ConcurrentHashMap<List<String>, Series> series = new ConcurrentHashMap<>();

    Histogram(String name, String help, double[] buckets, String[] labelNames) {
      super(name, help, labelNames);
      for (String l : labelNames)
        if (l.equals("le")) throw new IllegalArgumentException("le is reserved");
      double[] b = buckets.clone();
      Arrays.sort(b);
      this.buckets = b;
    }

    public void observe(double value, String... labelValues) {
      series
          .computeIfAbsent(key(labelValues), k -> new Series(buckets.length))
          .observe(buckets, value);
    }

    public long count(String... labelValues) {
      Series s = series.get(key(labelValues));
      return s == null ? 0 : s.count.sum();
    }

    @Override
    String type() {
      return "histogram";
    }

    static final class Series {
      final LongAdder[] counts;
      final LongAdder count = new LongAdder();
      final DoubleAdder sum = new DoubleAdder();

      Series(int n) {
        counts = new LongAdder[n];
        for (int i = 0; i < n; i++) counts[i] = new LongAdder();
      }

      void observe(double[] bounds, double value) {
        for (int i = 0; i < bounds.length; i++) {
          if (value <= bounds[i]) {
            counts[i].increment();
            break;
          }
        }
        count.increment();
        sum.add(value);
      }

      /** Cumulative counts per bucket, as the exposition format wants them. */
      long[] cumulative() {
        long[] out = new long[counts.length];
        long running = 0;
        for (int i = 0; i < counts.length; i++) {
          running += counts[i].sum();
          out[i] = running;
        }
        return out;
      }
    }
  }

  /** Values read from suppliers at scrape time. */
  public static final class Gauge extends Family {
    final List<Supplier<Map<List<String>, Double>>> suppliers = new CopyOnWriteArrayList<>();

    Gauge(
        String name, String help, String[] labelNames, Supplier<Map<List<String>, Double>> values) {
      super(name, help, labelNames);
      suppliers.add(values);
    }

    List<Map.Entry<List<String>, Double>> read() {
      List<Map.Entry<List<String>, Double>> out = new ArrayList<>();
      for (var s : suppliers) {
        try {
          out.addAll(s.get().entrySet());
        } catch (RuntimeException e) {
          // A failing gauge must not break the scrape; its series is left out.
        }
      }
      return out;
    }

    @Override
    String type() {
      return "gauge";
    }
  }
}
