package io.promptway.benchmarks.gateway;

import io.promptway.patterns.PromptwayServer;
import io.promptway.patterns.RunningRuntime;
import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.config.ConfigLoader;
import io.promptway.runtime.gateway.TokenBucket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The gateway throttle benchmark, three parts:
 *
 * <ol>
 *   <li>accuracy in simulated time, one caller on a driven clock: 3,000 requests at one instant
 *       (the burst) and 3,000 req/s offered evenly for 10 simulated seconds (the steady rate);
 *   <li>accuracy under concurrency on the runtime's {@link SimulatedClock} (time scale 20): two
 *       threads offering 3,000 req/s (simulated) together, admitted counts per simulated second;
 *   <li>overhead on the sync path: requests/s of {@code POST /sync/generate} with the throttle on
 *       (limits too high to refuse) and off, alternating on one running server.
 * </ol>
 *
 * Usage: {@code benchmarks/gateway-throttle.sh [seconds per overhead slice=2] [slice pairs=10]
 * [client threads=16]}.
 */
public final class ThrottleBenchmark {
  private static final long SECOND = 1_000_000_000L;

  public static void main(String[] args) throws Exception {
    int phaseSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int clients = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    boolean ok = drivenClock();
    ok &= concurrent();
    double admitNanos = admitNanos();
    ok &= overhead(phaseSeconds, rounds, clients, admitNanos);
    System.out.println(ok ? "RESULT: all within bounds" : "RESULT: OUT OF BOUNDS");
    System.exit(ok ? 0 : 1);
  }

  /** Part 1: deterministic, one thread, the clock advanced by hand. */
  static boolean drivenClock() {
    long[] now = {0};
    TokenBucket bucket = new TokenBucket(1000, 2000, () -> now[0]);
    int burst = 0;
    for (int i = 0; i < 3000; i++) if (bucket.tryAcquire().admitted()) burst++;
    System.out.printf(
        Locale.ROOT,
        "[driven clock] burst: offered 3000 at one instant, admitted %d (target 2000)%n",
        burst);
    boolean ok = within(burst, 2000, 0.02);
    int[] perSecond = new int[10];
    for (int s = 0; s < 10; s++) {
      for (int i = 0; i < 3000; i++) {
        now[0] += SECOND / 3000;
        if (bucket.tryAcquire().admitted()) perSecond[s]++;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "[driven clock] steady: offered 3000/s for 10 s after the burst, admitted per second %s (target 1000)%n",
        Arrays.toString(perSecond));
    for (int a : perSecond) ok &= within(a, 1000, 0.02);
    return ok;
  }

  /**
   * Part 2: two threads on the runtime's simulated clock at time scale 20: a burst of 3,000 at the
   * start, then 3,000 req/s offered for 10 simulated seconds. Per-second counts move with the
   * scheduler on a shared machine (a late thread shifts admissions across a second boundary), so
   * the bound is on the total over the window: rate x window, since the burst emptied the bucket.
   */
  static boolean concurrent() throws InterruptedException {
    SimulatedClock clock = new SimulatedClock(20);
    TokenBucket bucket = new TokenBucket(1000, 2000, clock::nanos);
    AtomicInteger burst = new AtomicInteger();
    long burstStart = clock.nanos();
    List<Thread> burstThreads = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      burstThreads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < 1500; i++)
                      if (bucket.tryAcquire().admitted()) burst.incrementAndGet();
                  }));
    }
    for (Thread t : burstThreads) t.join();
    // Tokens keep refilling while the burst is sent (simulated time runs 20x faster than real).
    long burstTarget = 2000 + Math.round((clock.nanos() - burstStart) / 1e9 * 1000);
    int seconds = 10;
    AtomicLongArray admitted = new AtomicLongArray(seconds);
    AtomicLongArray offered = new AtomicLongArray(seconds);
    long start = clock.nanos();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      int phase = t;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    long interval = SECOND / 1500; // each thread offers 1,500 req/s
                    long next = start + phase * interval / 2;
                    while (true) {
                      long now;
                      while ((now = clock.nanos()) < next) Thread.onSpinWait();
                      int s = (int) ((now - start) / SECOND);
                      if (s >= seconds) return;
                      offered.incrementAndGet(s);
                      if (bucket.tryAcquire().admitted()) admitted.incrementAndGet(s);
                      next += interval;
                    }
                  }));
    }
    for (Thread t : threads) t.join();
    long[] a = new long[seconds];
    long[] o = new long[seconds];
    long total = 0;
    long offeredTotal = 0;
    for (int i = 0; i < seconds; i++) {
      a[i] = admitted.get(i);
      o[i] = offered.get(i);
      total += a[i];
      offeredTotal += o[i];
    }
    System.out.printf(
        Locale.ROOT,
        "[simulated clock x20, 2 threads] burst: offered 3000 at once, admitted %d (target 2000 to %d = 2000 +"
            + " refill while sending)%n"
            + "[simulated clock x20, 2 threads] offered per simulated second %s (total %d)%n"
            + "[simulated clock x20, 2 threads] admitted per simulated second %s%n"
            + "[simulated clock x20, 2 threads] admitted over %d s: %d (target %d = 1000/s)%n",
        burst.get(),
        burstTarget,
        Arrays.toString(o),
        offeredTotal,
        Arrays.toString(a),
        seconds,
        total,
        seconds * 1000L);
    // The burst admits 2,000 plus at most what refilled while it was being sent.
    boolean burstOk = burst.get() >= 2000 * 0.98 && burst.get() <= burstTarget * 1.02;
    return burstOk && within(total, seconds * 1000L, 0.02);
  }

  /** Part 2b: the cost of one admission, single thread and two contending threads. */
  static double admitNanos() throws InterruptedException {
    long[] now = {0};
    TokenBucket cheap = new TokenBucket(1e9, 1_000_000_000, System::nanoTime);
    int n = 5_000_000;
    for (int i = 0; i < n; i++) cheap.tryAcquire(); // warm-up
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) cheap.tryAcquire();
    double single = (System.nanoTime() - t0) / (double) n;
    List<Thread> threads = new ArrayList<>();
    long t1 = System.nanoTime();
    for (int t = 0; t < 2; t++) {
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < n; i++) cheap.tryAcquire();
                  }));
    }
    for (Thread t : threads) t.join();
    double contended = (System.nanoTime() - t1) / (double) (2L * n);
    System.out.printf(
        Locale.ROOT,
        "[admission cost] %.0f ns per admission on one thread, %.0f ns per admission with 2 threads contending (%.1f M admissions/s)%n",
        single,
        contended,
        1e3 / contended);
    return Math.max(single, contended);
  }

  /**
   * Part 3: throttle on vs off on one server, in short alternating slices so that drift (JIT, other
   * load on the machine) hits both sides alike; the ratio is of the summed rates.
   */
  static boolean overhead(int sliceSeconds, int pairs, int clients, double admitNanos)
      throws Exception {
    Map<String, Object> overrides =
        Map.of(
            "server.host", "127.0.0.1",
            "server.port", 0,
            "state.jdbc_url", "jdbc:h2:mem:throttlebench;DB_CLOSE_DELAY=-1",
            "llm.default_model", "instant",
            "environment", "production",
            "gateway.throttle.steady_rps", 1_000_000_000,
            "gateway.throttle.burst", 1_000_000_000);
    try (RunningRuntime rt = PromptwayServer.start(new ConfigLoader().load(null, overrides))) {
      Logger.getLogger("io.promptway.gateway.access").setLevel(Level.WARNING);
      URI uri = rt.baseUri().resolve("sync/generate");
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest request =
          HttpRequest.newBuilder(uri)
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"prompt\":\"Summarise the benefits of queues in two sentences.\",\"max_tokens\":16}"))
              .build();
      System.out.printf(Locale.ROOT, "[sync overhead] warm-up %d s%n", 4 * sliceSeconds);
      load(http, request, clients, 4 * sliceSeconds);
      double on = 0;
      double off = 0;
      StringBuilder slices = new StringBuilder();
      for (int r = 0; r < pairs; r++) {
        for (boolean enabled : new boolean[] {r % 2 == 0, r % 2 != 0}) {
          rt.gateway().throttle().enabled(enabled);
          double rps = load(http, request, clients, sliceSeconds);
          slices.append(String.format(Locale.ROOT, " %s:%.0f", enabled ? "on" : "off", rps));
          if (enabled) on += rps;
          else off += rps;
        }
      }
      double ratio = on / off;
      System.out.println("[sync overhead] req/s per slice:" + slices);
      System.out.printf(
          Locale.ROOT,
          "[sync overhead] %d pairs of %d s slices, %d clients: throttle on %.0f req/s, off %.0f req/s,"
              + " on/off %.3f (measured overhead %.1f%%, bound 5%%)%n",
          pairs,
          sliceSeconds,
          clients,
          on / pairs,
          off / pairs,
          ratio,
          (1 - ratio) * 100);
      double cpuShare = admitNanos * (off / pairs) / 1e9 * 100;
      System.out.printf(
          Locale.ROOT,
          "[sync overhead] admission cost x request rate = %.4f%% of one core at the measured rate%n",
          cpuShare);
      return ratio > 0.95;
    }
  }

  private static double load(HttpClient http, HttpRequest request, int clients, int seconds)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger done = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (!stop.get()) {
                      try {
                        HttpResponse<Void> res =
                            http.send(request, HttpResponse.BodyHandlers.discarding());
                        if (res.statusCode() == 200) done.incrementAndGet();
                        else failed.incrementAndGet();
                      } catch (Exception e) {
                        failed.incrementAndGet();
                      }
                    }
                  }));
    }
    long start = System.nanoTime();
    Thread.sleep(Duration.ofSeconds(seconds));
    int count = done.get();
    double elapsed = (System.nanoTime() - start) / 1e9;
    stop.set(true);
    for (Thread t : threads) t.join();
    if (failed.get() > 0)
      System.out.printf(Locale.ROOT, "[sync overhead] %d failed requests%n", failed.get());
    return count / elapsed;
  }

  private static boolean within(long value, long target, double tolerance) {
    return Math.abs(value - target) <= target * tolerance;
  }
}
