package io.promptway.scenarios.replay;

import io.promptway.scenarios.client.BlockingHttp;
import io.promptway.scenarios.client.CallbackReceiver;
import io.promptway.scenarios.client.ClientError;
import io.promptway.scenarios.client.Completion;
import io.promptway.scenarios.client.GenerationCall;
import io.promptway.scenarios.client.GenerationListener;
import io.promptway.scenarios.client.PatternClient;
import io.promptway.scenarios.client.PatternClients;
import io.promptway.scenarios.model.Scenario;
import io.promptway.scenarios.result.CostSummary;
import io.promptway.scenarios.result.Pacing;
import io.promptway.scenarios.result.PatternResult;
import io.promptway.scenarios.result.RunResult;
import io.promptway.scenarios.workload.PlannedRequest;
import io.promptway.scenarios.workload.WorkloadPlanner;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Replays a scenario's seeded request sequence against every chosen pattern at once, on one shared
 * schedule: at each scheduled instant the same request goes to every pattern, each on its own
 * virtual thread, whether or not earlier requests have finished (an open model). A dedicated
 * platform thread at the highest priority only releases the pre-built requests at their instants;
 * building, sending and reading happen on the virtual threads. The schedule is compressed by the
 * time scale; measured latencies are scaled back to simulated time. Cost is the target's meter,
 * read before and after.
 */
public final class Replayer {
  private final HttpClient http;
  private final URI target;
  private final PrintStream progress;
  private final Pacer pacer = new Pacer();

  private final int maxInFlight;

  /** Per pattern; within the 20,000 descriptors of a process holding both ends of each socket. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 4_000;

  /**
   * {@code http} carries the streams (SSE, WebSocket) and the meter readings; request/response
   * calls go over a {@link BlockingHttp} pool of the replay's own. {@code progress} receives the
   * live display, or null for none.
   */
  public Replayer(HttpClient http, URI target, PrintStream progress) {
    this(http, target, progress, DEFAULT_MAX_IN_FLIGHT);
  }

  /**
   * {@code maxInFlight} bounds each pattern's requests in flight, hence its open connections: a
   * request over the bound waits for a slot (and shows up as late on the wire) instead of opening
   * yet another connection to a target that is already behind, which spirals into file-descriptor
   * exhaustion and lost requests.
   */
  public Replayer(HttpClient http, URI target, PrintStream progress, int maxInFlight) {
    if (maxInFlight < 1) throw new IllegalArgumentException("maxInFlight must be at least 1");
    this.http = http;
    this.target = target;
    this.progress = progress;
    this.maxInFlight = maxInFlight;
  }

  public RunResult run(Scenario scenario) {
    return replay(scenario).result();
  }

  /** A run's result plus each request's end-to-end latency per pattern, for paired analysis. */
  public record Replay(RunResult result, Map<String, double[]> latencyByRequest) {}

  public Replay replay(Scenario scenario) {
    List<PlannedRequest> plan = WorkloadPlanner.plan(scenario);
    double scale = scenario.timeScale();
    long[] scheduled = plan.stream().mapToLong(PlannedRequest::atSimNanos).toArray();
    Map<String, PatternRecorder> recorders = new LinkedHashMap<>();
    for (String p : scenario.patterns()) recorders.put(p, new PatternRecorder(p, scale, scheduled));
    Recorder lateness = new Recorder(3_600_000_000L, 3);
    Histogram dispatch = new Histogram(3_600_000_000L, 3);
    GenerationCall[] calls = new GenerationCall[plan.size()];
    long[] offsets = new long[plan.size()];
    for (int i = 0; i < calls.length; i++) {
      calls[i] = call(scenario, plan.get(i), scale);
      offsets[i] = Math.round(plan.get(i).atSimNanos() / scale);
    }
    MeteringClient meter = new MeteringClient(http, target);
    Instant startedAt = Instant.now();
    long t0;
    Optional<List<MeterRow>> before;
    try (CallbackReceiver receiver = new CallbackReceiver();
        BlockingHttp plain = BlockingHttp.create()) {
      Map<String, PatternClient> clients = new LinkedHashMap<>();
      for (String p : scenario.patterns())
        clients.put(p, PatternClients.create(p, plain, http, target, receiver));
      warmUp(scenario, clients.values());
      before = meter.totals();
      ProgressDisplay display =
          progress == null
              ? null
              : new ProgressDisplay(
                  progress, List.copyOf(recorders.values()), scale, scenario.durationMs() / 1000);
      long start = System.nanoTime() + 20_000_000;
      t0 = start;
      PatternClient[] clientList = clients.values().toArray(PatternClient[]::new);
      PatternRecorder[] recorderList = new PatternRecorder[clientList.length];
      Semaphore[] slots = new Semaphore[clientList.length];
      for (int c = 0; c < slots.length; c++) slots[c] = new Semaphore(maxInFlight, true);
      int k = 0;
      for (String p : clients.keySet()) recorderList[k++] = recorders.get(p);
      try {
        Thread pacerThread =
            Thread.ofPlatform()
                .name("replayer-pacer")
                .priority(Thread.MAX_PRIORITY)
                .start(
                    () -> {
                      for (int i = 0; i < calls.length; i++) {
                        if (Thread.currentThread().isInterrupted()) return;
                        long due = start + offsets[i];
                        dispatch.recordValue(pacer.sleepUntil(due) / 1000);
                        GenerationCall call = calls[i];
                        int index = plan.get(i).index();
                        for (int c = 0; c < clientList.length; c++) {
                          GenerationListener listener = recorderList[c].begin(index, due);
                          PatternClient client = clientList[c];
                          Semaphore slot = slots[c];
                          Thread.ofVirtual()
                              .start(() -> send(client, call, listener, due, lateness, slot));
                        }
                      }
                    });
        try {
          pacerThread.join();
        } catch (InterruptedException e) {
          pacerThread.interrupt();
          Thread.currentThread().interrupt();
        }
        awaitDrain(
            recorders.values(),
            Duration.ofNanos(Math.round(scenario.clientTimeoutMs() * 1e6 / scale)).plusSeconds(5));
        // before the connections close: what is still in flight now is reported as in flight
        for (PatternRecorder r : recorders.values()) r.close();
      } finally {
        if (display != null) display.close();
      }
    }
    Histogram sendLateness = lateness.getIntervalHistogram();
    Histogram wire = new Histogram(3_600_000_000L, 3);
    for (PatternRecorder r : recorders.values()) wire.add(r.wireLateness());
    double realSeconds = (System.nanoTime() - t0) / 1e9;
    Optional<List<MeterRow>> after = before.isPresent() ? settle(meter) : Optional.empty();
    List<MeterRow> billed = after.map(a -> MeteringClient.diff(before.get(), a)).orElse(List.of());
    Map<String, List<MeterRow>> byPattern = attribute(billed, scenario.patterns());
    if (after.isPresent()) {
      List<String> redirected = new ArrayList<>();
      for (PatternRecorder r : recorders.values()) {
        for (PatternRecorder.Redirect d : r.redirects()) {
          if (d.requestId() != null) redirected.add(d.requestId());
        }
      }
      Map<String, Map<String, Double>> finalCosts = meter.costs(redirected);
      for (PatternRecorder r : recorders.values()) {
        moveRedirected(byPattern, r.pattern(), r.redirectedCost(finalCosts), scenario.patterns());
      }
    }
    List<PatternResult> results = new ArrayList<>();
    for (PatternRecorder r : recorders.values()) {
      results.add(
          r.result(
              after.isPresent()
                  ? CostSummary.of(byPattern.getOrDefault(r.pattern(), List.of()), r.sent())
                  : CostSummary.NONE));
    }
    Map<String, double[]> perRequest = new LinkedHashMap<>();
    for (PatternRecorder r : recorders.values()) perRequest.put(r.pattern(), r.latencyByRequest());
    RunResult result =
        new RunResult(
            scenario,
            target.toString(),
            startedAt.toString(),
            scale,
            scenario.seed(),
            plan.size(),
            realSeconds,
            realSeconds * scale,
            after.isPresent(),
            new Pacing(
                sendLateness.getTotalCount(),
                sendLateness.getValueAtPercentile(50) / 1000.0,
                sendLateness.getValueAtPercentile(99) / 1000.0,
                sendLateness.getMaxValue() / 1000.0,
                dispatch.getValueAtPercentile(99) / 1000.0,
                dispatch.getMaxValue() / 1000.0,
                wire.getValueAtPercentile(50) / 1000.0,
                wire.getValueAtPercentile(99) / 1000.0,
                wire.getMaxValue() / 1000.0),
            results,
            CostSummary.of(byPattern.getOrDefault("", List.of()), 0),
            List.of(),
            List.of());
    return new Replay(result, perRequest);
  }

  /**
   * One tiny request per pattern before the clock starts, outside the measurement and the billed
   * window, so class loading and first connections do not show up as the first requests' latency.
   */
  private static void warmUp(Scenario scenario, Iterable<PatternClient> clients) {
    List<Thread> threads = new ArrayList<>();
    for (PatternClient client : clients) {
      GenerationCall call =
          new GenerationCall(
              "warm-up",
              scenario.llm().model(),
              1,
              5,
              "standard",
              null,
              Map.of("X-Promptway-Scenario", scenario.name() + "-warm-up"),
              Duration.ofSeconds(10),
              Duration.ofMillis(50),
              true,
              false,
              false);
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      client.generate(
                          call,
                          new GenerationListener() {
                            @Override
                            public void onComplete(Completion completion) {}

                            @Override
                            public void onError(ClientError error) {}
                          });
                    } catch (RuntimeException ignored) {
                      // a failing warm-up shows up again, measured, in the run itself
                    }
                  }));
    }
    for (Thread t : threads) {
      try {
        t.join(Duration.ofSeconds(15));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void send(
      PatternClient client,
      GenerationCall call,
      GenerationListener listener,
      long due,
      Recorder lateness,
      Semaphore slot) {
    lateness.recordValue(Math.max(0, (System.nanoTime() - due) / 1000));
    try {
      slot.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      listener.onError(
          new ClientError(ClientError.Kind.CLIENT_TIMEOUT, 0, "INTERRUPTED", "interrupted"));
      return;
    }
    try {
      client.generate(call, listener);
    } catch (RuntimeException e) {
      listener.onError(
          new ClientError(ClientError.Kind.CONNECTION, 0, "CLIENT_BUG", String.valueOf(e)));
    } finally {
      slot.release();
    }
  }

  private static GenerationCall call(Scenario scenario, PlannedRequest r, double scale) {
    Map<String, String> headers = new HashMap<>();
    headers.put("X-Promptway-Scenario", scenario.name());
    headers.put("X-Promptway-Seq", Integer.toString(r.index()));
    return new GenerationCall(
        r.prompt(),
        scenario.llm().model(),
        r.maxTokens(),
        r.priority(),
        r.userTier(),
        null,
        headers,
        Duration.ofNanos(Math.round(scenario.clientTimeoutMs() * 1e6 / scale)),
        Duration.ofNanos(Math.max(1_000_000, Math.round(r.pollIntervalMs() * 1e6 / scale))),
        r.callback().equals("webhook"),
        r.callbackFails(),
        r.interactive());
  }

  private static void awaitDrain(Iterable<PatternRecorder> recorders, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      int live = 0;
      for (PatternRecorder r : recorders) live += r.inFlight();
      if (live == 0) return;
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Waits until the meter stops moving (work that outlives its client, e.g. after a 504). */
  private static Optional<List<MeterRow>> settle(MeteringClient meter) {
    Optional<List<MeterRow>> previous = meter.totals();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      Optional<List<MeterRow>> now = meter.totals();
      if (now.equals(previous)) return now;
      previous = now;
    }
    return previous;
  }

  /**
   * Moves the cost of requests one pattern (the hybrid router) sent on to another pattern's
   * endpoint back to the pattern that received them from the client: a row {@code
   * redirected:TARGET} on the sender and its negative on the target, per component, so totals still
   * equal the sum of the rows.
   */
  static void moveRedirected(
      Map<String, List<MeterRow>> byPattern,
      String from,
      Map<String, Map<String, Double>> moved,
      List<String> patterns) {
    moved.forEach(
        (target, components) -> {
          String targetKey = patterns.contains(target) ? target : "";
          components.forEach(
              (component, usd) -> {
                byPattern
                    .computeIfAbsent(from, k -> new ArrayList<>())
                    .add(new MeterRow(from, "redirected:" + target, component, "", 0, usd, 0));
                byPattern
                    .computeIfAbsent(targetKey, k -> new ArrayList<>())
                    .add(new MeterRow(target, "redirected:" + from, component, "", 0, -usd, 0));
              });
        });
  }

  /** Groups billed rows by the compared pattern they belong to; "" holds the rest. */
  static Map<String, List<MeterRow>> attribute(List<MeterRow> rows, List<String> patterns) {
    Map<String, List<MeterRow>> out = new HashMap<>();
    for (MeterRow r : rows) {
      String p = canonical(r.pattern());
      out.computeIfAbsent(patterns.contains(p) ? p : "", k -> new ArrayList<>()).add(r);
    }
    return out;
  }

  static String canonical(String pattern) {
    String p = pattern == null ? "" : pattern.toLowerCase(Locale.ROOT);
    return switch (p) {
      case "webhook", "queue", "async-webhook" -> "async";
      case "eventbus", "event", "event-bus", "bus" -> "events";
      case "ws" -> "websocket";
      default -> p.startsWith("hybrid") ? "hybrid" : p;
    };
  }
}
