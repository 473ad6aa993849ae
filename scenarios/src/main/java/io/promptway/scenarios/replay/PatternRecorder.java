package io.promptway.scenarios.replay;

import io.promptway.scenarios.client.ClientError;
import io.promptway.scenarios.client.Completion;
import io.promptway.scenarios.client.GenerationListener;
import io.promptway.scenarios.result.CostSummary;
import io.promptway.scenarios.result.LatencyStats;
import io.promptway.scenarios.result.PatternResult;
import io.promptway.scenarios.result.TimePoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * Collects one pattern's measurements. Real durations are measured from each request's scheduled
 * send instant (so queueing in an overloaded target counts) and multiplied by the time scale into
 * simulated microseconds. Inter-token gaps are the differences of the emit times the server stamps
 * on its tokens ({@code at_ms}, already simulated): at time scale 20 the model's 6 ms gaps are 0.3
 * ms real, finer than this machine's wake-ups and the socket's coalescing, which would read them as
 * bursts of zeros. A token without a stamp falls back to its real arrival gap.
 */
public final class PatternRecorder {
  private static final long MAX_US = 3_600_000_000L * 4;
  private static final Set<String> REDIRECTS = Set.of("sse", "websocket", "events");

  private final String pattern;
  private final double timeScale;
  private final Histogram ttft = new SynchronizedHistogram(MAX_US, 3);
  private final Histogram itl = new SynchronizedHistogram(MAX_US, 3);
  private final Histogram latency = new SynchronizedHistogram(MAX_US, 3);
  private final Recorder wireLateness = new Recorder(3_600_000_000L, 3);
  private final double[] ttftByRequest;
  private final double[] latencyByRequest;
  private final long[] scheduledSimNanos;
  private final LongAdder sent = new LongAdder();
  private final LongAdder completed = new LongAdder();
  private final LongAdder reconnects = new LongAdder();
  private final LongAdder tokens = new LongAdder();
  private final Map<ClientError.Kind, LongAdder> errors = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> servedBy = new ConcurrentHashMap<>();
  // by the request's id at the pattern it was sent on to
  private final Map<String, Redirect> redirects = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger peakInFlight = new AtomicInteger();
  private final AtomicInteger peakConnections = new AtomicInteger();
  private volatile boolean closed;

  public PatternRecorder(String pattern, double timeScale, long[] scheduledSimNanos) {
    this.pattern = pattern;
    this.timeScale = timeScale;
    this.scheduledSimNanos = scheduledSimNanos;
    this.ttftByRequest = new double[scheduledSimNanos.length];
    Arrays.fill(ttftByRequest, Double.NaN);
    this.latencyByRequest = new double[scheduledSimNanos.length];
    Arrays.fill(latencyByRequest, Double.NaN);
  }

  /**
   * Ends the recording: the run is over, and whatever happens to a request still in flight (such as
   * the failure that closing the replay's connections causes) is not counted. It stays in flight.
   */
  public void close() {
    closed = true;
  }

  public String pattern() {
    return pattern;
  }

  public long sent() {
    return sent.sum();
  }

  public int inFlight() {
    return inFlight.get();
  }

  public long failures() {
    return errors.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Starts one request scheduled at {@code dueNanos} (real); the listener records its life. */
  public GenerationListener begin(int index, long dueNanos) {
    sent.increment();
    peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    peakConnections.accumulateAndGet(connections.incrementAndGet(), Math::max);
    return new Listener(index, dueNanos);
  }

  private long simMicros(long realNanos) {
    return Math.max(0, Math.round(realNanos * timeScale / 1000));
  }

  private final class Listener implements GenerationListener {
    private final int index;
    private final long due;
    private final AtomicLong lastToken = new AtomicLong();
    private double lastEmittedAtMs = Double.NaN;
    private boolean connectionOpen = true;
    private boolean finished;
    private boolean onWire;

    Listener(int index, long due) {
      this.index = index;
      this.due = due;
    }

    @Override
    public synchronized void onSending() {
      if (onWire) return;
      onWire = true;
      wireLateness.recordValue(Math.max(0, (System.nanoTime() - due) / 1000));
    }

    @Override
    public synchronized void onAccepted(String requestId) {
      if (pattern.equals("async") || pattern.equals("events")) closeConnection();
    }

    /** Noted at once: a redirected request that then fails or times out is still billed. */
    @Override
    public void onRedirected(String target, String requestId) {
      if (requestId != null && REDIRECTS.contains(target)) {
        redirects.putIfAbsent(requestId, new Redirect(target, requestId, Map.of()));
      }
    }

    @Override
    public synchronized void onToken(int seq, String text, double emittedAtMs) {
      if (closed) return;
      long now = System.nanoTime();
      long previous = lastToken.getAndSet(now);
      double previousEmittedAtMs = lastEmittedAtMs;
      lastEmittedAtMs = emittedAtMs;
      if (previous == 0) firstContent(now);
      else if (Double.isNaN(emittedAtMs) || Double.isNaN(previousEmittedAtMs))
        itl.recordValue(simMicros(now - previous));
      else itl.recordValue(Math.max(0, Math.round((emittedAtMs - previousEmittedAtMs) * 1000)));
    }

    private void firstContent(long now) {
      long us = simMicros(now - due);
      ttft.recordValue(us);
      ttftByRequest[index] = us / 1000.0;
    }

    @Override
    public synchronized void onComplete(Completion completion) {
      if (finished || closed) return;
      long now = System.nanoTime();
      if (lastToken.get() == 0) firstContent(now);
      long us = simMicros(now - due);
      latency.recordValue(us);
      latencyByRequest[index] = us / 1000.0;
      completed.increment();
      tokens.add(completion.completionTokens());
      reconnects.add(completion.reconnects());
      String via = completion.servedBy() == null ? "" : completion.servedBy();
      String target = via.startsWith(pattern + "/") ? via.substring(pattern.length() + 1) : null;
      if (target != null && REDIRECTS.contains(target)) {
        String id = completion.requestId() != null ? completion.requestId() : "index:" + index;
        redirects.put(
            id, new Redirect(target, completion.requestId(), completion.costByComponent()));
      }
      servedBy
          .computeIfAbsent(
              completion.servedBy() == null ? pattern : completion.servedBy(), k -> new LongAdder())
          .increment();
      finish();
    }

    @Override
    public synchronized void onError(ClientError error) {
      if (finished || closed) return;
      errors.computeIfAbsent(error.kind(), k -> new LongAdder()).increment();
      finish();
    }

    private void finish() {
      finished = true;
      closeConnection();
      inFlight.decrementAndGet();
    }

    private void closeConnection() {
      if (connectionOpen) {
        connectionOpen = false;
        connections.decrementAndGet();
      }
    }
  }

  /**
   * A request the hybrid router sent on to another pattern's endpoint ({@code target}), which the
   * runtime bills to that pattern: its id there and the cost its completion reported.
   */
  public record Redirect(String target, String requestId, Map<String, Double> reportedCost) {}

  public List<Redirect> redirects() {
    return List.copyOf(redirects.values());
  }

  /**
   * The cost of the redirected requests by target and component: each one's final cost where {@code
   * finalCosts} (by request id) has it, else what its completion reported. A completion reports the
   * cost billed before it was sent, so a stream's gateway charge, billed once the response has
   * ended, is in the final cost only.
   */
  public Map<String, Map<String, Double>> redirectedCost(
      Map<String, Map<String, Double>> finalCosts) {
    Map<String, Map<String, Double>> out = new TreeMap<>();
    for (Redirect r : redirects.values()) {
      Map<String, Double> cost =
          r.requestId() == null
              ? r.reportedCost()
              : finalCosts.getOrDefault(r.requestId(), r.reportedCost());
      Map<String, Double> moved = out.computeIfAbsent(r.target(), k -> new TreeMap<>());
      cost.forEach((c, usd) -> moved.merge(c, usd, Double::sum));
    }
    return out;
  }

  /**
   * How late (real µs) requests went on the wire relative to their schedule: measured when the
   * client starts sending the body, so it includes thread start-up, request building and waiting
   * for a connection.
   */
  public Histogram wireLateness() {
    return wireLateness.getIntervalHistogram();
  }

  /** End-to-end simulated ms of each request by index; NaN where it did not complete. */
  public double[] latencyByRequest() {
    return latencyByRequest.clone();
  }

  /** The result so far; {@code cost} comes from the meter. */
  public PatternResult result(CostSummary cost) {
    Map<String, Long> byKind = new TreeMap<>();
    errors.forEach((k, v) -> byKind.put(k.label(), v.sum()));
    Map<String, Long> served = new TreeMap<>();
    servedBy.forEach((k, v) -> served.put(k, v.sum()));
    return new PatternResult(
        pattern,
        sent.sum(),
        completed.sum(),
        byKind.getOrDefault("timeout", 0L),
        byKind.getOrDefault("throttled", 0L),
        byKind,
        inFlight.get(),
        peakConnections.get(),
        peakInFlight.get(),
        reconnects.sum(),
        tokens.sum(),
        LatencyStats.of(ttft),
        LatencyStats.of(itl),
        LatencyStats.of(latency),
        curve(latency),
        ttftOverTime(),
        served,
        cost);
  }

  private static List<double[]> curve(Histogram h) {
    List<double[]> points = new ArrayList<>();
    if (h.getTotalCount() == 0) return points;
    for (double p : new double[] {0, 10, 25, 50, 75, 90, 95, 99, 99.9, 100}) {
      points.add(new double[] {p, h.getValueAtPercentile(p) / 1000.0});
    }
    return points;
  }

  /** Median and p95 TTFT in about 20 buckets of scheduled (simulated) time. */
  private List<TimePoint> ttftOverTime() {
    List<TimePoint> points = new ArrayList<>();
    if (scheduledSimNanos.length == 0) return points;
    double endS = scheduledSimNanos[scheduledSimNanos.length - 1] / 1e9;
    double width = Math.max(1, Math.ceil(endS / 20));
    int buckets = (int) Math.floor(endS / width) + 1;
    List<List<Double>> values = new ArrayList<>();
    for (int b = 0; b < buckets; b++) values.add(new ArrayList<>());
    for (int i = 0; i < scheduledSimNanos.length; i++) {
      if (!Double.isNaN(ttftByRequest[i])) {
        values
            .get((int) Math.min(buckets - 1, scheduledSimNanos[i] / 1e9 / width))
            .add(ttftByRequest[i]);
      }
    }
    for (int b = 0; b < buckets; b++) {
      List<Double> v = values.get(b);
      if (v.isEmpty()) continue;
      v.sort(null);
      points.add(
          new TimePoint(
              b * width,
              v.get((v.size() - 1) / 2),
              v.get((int) Math.ceil(0.95 * v.size()) - 1),
              v.size()));
    }
    return points;
  }
}
