package io.promptway.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.management.OperatingSystemMXBean;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webserver.WebServer;
import io.promptway.patterns.PromptwayServer;
import io.promptway.patterns.RunningRuntime;
import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.config.ConfigLoader;
import io.promptway.runtime.config.RuntimeConfig;
import io.promptway.runtime.db.Database;
import io.promptway.runtime.http.Bodies;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.http.KeepAliveConnections;
import io.promptway.runtime.metering.JdbcMeter;
import io.promptway.runtime.metering.Meter;
import io.promptway.runtime.metering.PriceTable;
import io.promptway.runtime.queue.JdbcMessageQueue;
import io.promptway.runtime.queue.QueueSettings;
import io.promptway.runtime.queue.ReceivedMessage;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Measures the async building blocks on this machine: (1) raw queue throughput on an H2 file (send,
 * batch receive, delete; 0 messages skips it), (2) end-to-end async throughput with the instant
 * model sustained for a fixed time: a closed loop of clients POSTs /async/requests, every accepted
 * request id is recorded, and after the window the benchmark waits until each one's signed webhook
 * arrived (accepted vs delivered, nothing may be lost), (3) the metered cost per 1,000 requests of
 * the same workload through async and through sync.
 *
 * <p>usage: AsyncBenchmark [queue_messages=20000] [seconds=60] [client_concurrency=64] [workers=8]
 * [warm_up_s=70] [batch_window=0s]
 */
public final class AsyncBenchmark {
  private static final String BODY =
      "{\"prompt\":\"Summarise the benefits of queues in two sentences.\",\"model\":\"instant\","
          + "\"max_tokens\":16%s}";
  private static final int BACKLOG = 2_000;

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 64;
    int workers = args.length > 3 ? Integer.parseInt(args[3]) : 8;
    // The async path runs a lot of code (HTTP exchanges, queue, store, meter, signing); on 2
    // cores shared with the load generator, and with the launcher's raised compile thresholds, the
    // JIT takes about a minute to compile it.
    int warmUpSeconds = args.length > 4 ? Integer.parseInt(args[4]) : 70;
    // the workers' batching window (async.batch_window): 0 invokes as soon as a message is there
    String batchWindow = args.length > 5 ? args[5] : "0s";
    // llm.in_process: false sends the workers' model calls over loopback HTTP as well
    boolean inProcess = args.length > 6 ? parseBoolean(args[6]) : true;
    Path dir = Files.createTempDirectory("promptway-async-bench");
    try {
      if (messages > 0) queueThroughput(dir, messages);
      endToEnd(dir, seconds, concurrency, workers, warmUpSeconds, batchWindow, inProcess);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static boolean parseBoolean(String text) {
    if (text.equals("true") || text.equals("false")) return Boolean.parseBoolean(text);
    throw new IllegalArgumentException("in_process must be true or false, not '" + text + "'");
  }

  private static void queueThroughput(Path dir, int n) throws Exception {
    SimulatedClock clock = SimulatedClock.realTime();
    try (Database db = new Database("jdbc:h2:file:" + dir.resolve("queue") + ";DB_CLOSE_DELAY=-1");
        Meter meter = new JdbcMeter(db, PriceTable.shipped(), clock)) {
      JdbcMessageQueue q =
          new JdbcMessageQueue(
              db,
              clock,
              meter,
              new QueueSettings(
                  "bench",
                  "bench",
                  Duration.ofSeconds(30),
                  5,
                  Duration.ofDays(4),
                  1 << 20,
                  Duration.ofMillis(200),
                  "bench-dlq"));
      String body = "x".repeat(512);
      long start = System.nanoTime();
      int producers = 4;
      CountDownLatch sent = new CountDownLatch(producers);
      AtomicLong sendNanos = new AtomicLong();
      for (int p = 0; p < producers; p++) {
        Thread.ofVirtual()
            .start(
                () -> {
                  long t0 = System.nanoTime();
                  for (int i = 0; i < n / producers; i++) q.send(body, "r" + i);
                  sendNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                  sent.countDown();
                });
      }
      AtomicLong done = new AtomicLong();
      int consumers = 4;
      CountDownLatch consumed = new CountDownLatch(consumers);
      int total = (n / producers) * producers;
      for (int c = 0; c < consumers; c++) {
        Thread.ofVirtual()
            .start(
                () -> {
                  while (done.get() < total) {
                    for (ReceivedMessage m : q.receive(10)) {
                      q.delete(m.receiptHandle());
                      done.incrementAndGet();
                    }
                  }
                  consumed.countDown();
                });
      }
      sent.await();
      consumed.await(10, TimeUnit.MINUTES);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "queue (H2 file): %d messages sent, received in batches of 10 and deleted by 4+4 threads in"
              + " %.2f s = %.0f msgs/s end to end (sending alone: %.0f msgs/s)%n",
          total,
          seconds,
          total / seconds,
          total / (sendNanos.get() / 1e9));
    }
  }

  private static void endToEnd(
      Path dir,
      int seconds,
      int concurrency,
      int workers,
      int warmUpSeconds,
      String batchWindow,
      boolean inProcess)
      throws Exception {
    Set<String> delivered = ConcurrentHashMap.newKeySet();
    AtomicLong deliveredInWindow = new AtomicLong();
    AtomicLong duplicates = new AtomicLong();
    long[] window = {Long.MAX_VALUE, Long.MAX_VALUE};
    // Accepted requests whose webhook has not arrived yet, at most: the clients wait while the
    // workers are this far behind, so the rate measured is one the whole path sustains (a closed
    // loop on the 202 alone outruns delivery and only grows the queue).
    Semaphore backlog = new Semaphore(BACKLOG);
    // The receiver and the load generator share this JVM with the runtime, so they run on the
    // same HTTP stack (Helidon, virtual threads): the JDK's HttpServer and HttpClient cost about
    // twice as much CPU per exchange and would be measured as the runtime's.
    WebServer receiver =
        LoopbackServer.post(
            "/hook",
            (req, res) -> {
              JsonNode hook = Json.mapper().readTree(Bodies.read(req.content(), req.headers()));
              if (delivered.add(hook.path("request_id").asText())) {
                backlog.release();
                long now = System.nanoTime();
                if (now >= window[0] && now < window[1]) deliveredInWindow.incrementAndGet();
              } else {
                duplicates.incrementAndGet();
              }
              res.status(Status.NO_CONTENT_204).send();
            });
    String callback = "http://127.0.0.1:" + receiver.port() + "/hook";
    RuntimeConfig config =
        new ConfigLoader()
            .load(
                null,
                Map.of(
                    "server.port",
                    0,
                    "state.db_path",
                    dir.resolve("state").toString(),
                    "llm.default_model",
                    "instant",
                    "gateway.throttle.steady_rps",
                    1_000_000,
                    "gateway.throttle.burst",
                    1_000_000,
                    "async.workers",
                    workers,
                    "async.concurrency_per_worker",
                    10,
                    "async.batch_window",
                    batchWindow,
                    "llm.in_process",
                    inProcess));
    try (RunningRuntime runtime = PromptwayServer.start(config)) {
      Logger.getLogger("io.promptway.gateway.access").setLevel(Level.WARNING);
      // Each client keeps its own connection, as wrk does, without Helidon's connection cache (it
      // watches every idle connection with a virtual thread of its own, which the runtime's
      // clients no longer do either: see KeepAliveConnections).
      WebClient http = WebClient.builder().build();
      URI base = runtime.baseUri();
      URI async = base.resolve("async/requests");
      String asyncBody = String.format(BODY, ",\"callback_url\":\"" + callback + "\"");
      // warm-up: not measured; its webhooks drain before the window opens
      Set<String> warm = ConcurrentHashMap.newKeySet();
      closedLoop(
          http, async, asyncBody, Duration.ofSeconds(warmUpSeconds), concurrency, warm, backlog);
      awaitAll(delivered, warm, Duration.ofSeconds(60));
      Map<String, Double> before = totals(runtime);

      Set<String> accepted = ConcurrentHashMap.newKeySet();
      var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpuStart = os.getProcessCpuTime();
      long start = System.nanoTime();
      window[0] = start;
      window[1] = start + TimeUnit.SECONDS.toNanos(seconds);
      // webhooks per 10 s slice of the window: "sustained" means every slice, not the average
      List<Long> slices = new ArrayList<>();
      Thread slicer =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    long seen = 0;
                    for (int k = 1; k * 10 <= seconds; k++) {
                      long until = start + TimeUnit.SECONDS.toNanos(10L * k);
                      long wait;
                      while ((wait = until - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                      }
                      long now = deliveredInWindow.get();
                      synchronized (slices) {
                        slices.add(now - seen);
                      }
                      seen = now;
                    }
                  });
      long failures =
          closedLoop(
              http, async, asyncBody, Duration.ofSeconds(seconds), concurrency, accepted, backlog);
      double sent = (System.nanoTime() - start) / 1e9;
      boolean drained = awaitAll(delivered, accepted, Duration.ofSeconds(120));
      double drainedAt = (System.nanoTime() - start) / 1e9;
      double cpuMsPerRequest = (os.getProcessCpuTime() - cpuStart) / 1e6 / accepted.size();
      long lost = accepted.stream().filter(id -> !delivered.contains(id)).count();
      Map<String, Double> afterAsync = totals(runtime);
      System.out.printf(
          Locale.ROOT,
          "async end to end (model called %s), %d s closed loop, %d clients, %d workers x 10:"
              + " %d accepted (%.0f/s),"
              + " %d failed; webhooks received in the window: %d (%.0f/s); all accepted delivered"
              + " after %.1f s%s; lost %d, duplicate webhooks %d%n"
              + "  this JVM's CPU time (runtime, clients and receiver together) per accepted request:"
              + " %.2f ms, so 2 idle cores would carry at most %.0f requests/s%n",
          inProcess ? "in process" : "over loopback HTTP",
          seconds,
          concurrency,
          workers,
          accepted.size(),
          accepted.size() / sent,
          failures,
          deliveredInWindow.get(),
          deliveredInWindow.get() / (double) seconds,
          drainedAt,
          drained ? "" : " (NOT ALL DELIVERED)",
          lost,
          duplicates.get(),
          cpuMsPerRequest,
          2000 / cpuMsPerRequest);
      slicer.join();
      synchronized (slices) {
        if (!slices.isEmpty()) {
          System.out.println(
              "  webhooks per second in each 10 s of the window: "
                  + slices.stream().map(c -> String.valueOf(c / 10)).toList()
                  + " (lowest "
                  + slices.stream().mapToLong(Long::longValue).min().getAsLong() / 10
                  + ")");
        }
      }
      int n = accepted.size();

      Set<String> syncDone = ConcurrentHashMap.newKeySet();
      long syncStart = System.nanoTime();
      closedLoop(
          http,
          base.resolve("sync/generate"),
          String.format(BODY, ""),
          Duration.ofSeconds(10),
          concurrency,
          syncDone,
          null);
      double syncSeconds = (System.nanoTime() - syncStart) / 1e9;
      Map<String, Double> afterSync = totals(runtime);
      System.out.printf(
          Locale.ROOT,
          "sync, same body, 10 s closed loop: %d requests = %.0f requests/s%n",
          syncDone.size(),
          syncDone.size() / syncSeconds);
      printCost("async", diff(afterAsync, before, "async"), n);
      printCost("sync", diff(afterSync, afterAsync, "sync"), syncDone.size());
    } finally {
      receiver.stop();
    }
  }

  private static final Pattern REQUEST_ID = Pattern.compile("\"request_id\":\"([^\"]+)\"");

  /**
   * Keeps {@code concurrency} POSTs in flight for {@code duration}; adds the request id of every
   * 2xx answer to {@code ok}; returns the number of failures.
   */
  private static long closedLoop(
      WebClient http,
      URI uri,
      String body,
      Duration duration,
      int concurrency,
      Set<String> ok,
      Semaphore backlog)
      throws InterruptedException {
    AtomicLong failures = new AtomicLong();
    long end = System.nanoTime() + duration.toNanos();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Thread[] clients = new Thread[concurrency];
    KeepAliveConnections connections =
        new KeepAliveConnections(http, concurrency, Long.MAX_VALUE, System::nanoTime);
    for (int c = 0; c < concurrency; c++) {
      clients[c] =
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (System.nanoTime() < end) {
                      if (backlog != null && !awaitPermit(backlog, end)) break;
                      boolean accepted = false;
                      try (HttpClientResponse r =
                          connections
                              .post(uri, connections.borrow(uri))
                              .header(HeaderNames.CONTENT_TYPE, "application/json")
                              .submit(bytes)) {
                        String text =
                            new String(
                                Bodies.read(r.entity(), r.headers()), StandardCharsets.UTF_8);
                        var m = REQUEST_ID.matcher(text);
                        if (r.status().family() == Status.Family.SUCCESSFUL && m.find()) {
                          ok.add(m.group(1));
                          accepted = true;
                        } else {
                          failures.incrementAndGet();
                        }
                      } catch (RuntimeException e) {
                        failures.incrementAndGet();
                      }
                      if (!accepted && backlog != null) backlog.release();
                    }
                  });
    }
    if (backlog != null) {
      // wakes the clients still waiting for a permit when the time is up
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  Thread.sleep(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
                } catch (InterruptedException e) {
                  return;
                }
                backlog.release(concurrency);
              });
    }
    for (Thread t : clients) t.join();
    connections.close();
    if (backlog != null) backlog.acquire(concurrency); // takes back the wake-up permits
    if (failures.get() > 0)
      System.out.println("  " + failures.get() + " failed requests to " + uri);
    return failures.get();
  }

  /**
   * Waits for a permit without a timeout (a timed wait arms and cancels a JDK timer, CPU the
   * runtime would be charged for); at the end of the run the permits released for the waiting
   * clients end the wait (and are taken back once they have all stopped).
   */
  private static boolean awaitPermit(Semaphore backlog, long end) {
    try {
      if (!backlog.tryAcquire()) backlog.acquire();
      if (System.nanoTime() < end) return true;
      backlog.release(); // not used: the run is over
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean awaitAll(Set<String> delivered, Set<String> expected, Duration max)
      throws InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < end) {
      if (delivered.containsAll(expected)) return true;
      Thread.sleep(50);
    }
    return delivered.containsAll(expected);
  }

  /** USD by "pattern/component" from the meter. */
  private static Map<String, Double> totals(RunningRuntime runtime) {
    Map<String, Double> out = new TreeMap<>();
    for (Meter.UsageTotal t : runtime.platform().meter().totals()) {
      out.merge(t.pattern() + "/" + t.unit().component().label(), t.usd(), Double::sum);
    }
    return out;
  }

  private static Map<String, Double> diff(
      Map<String, Double> after, Map<String, Double> before, String pattern) {
    Map<String, Double> out = new TreeMap<>();
    after.forEach(
        (k, v) -> {
          if (k.startsWith(pattern + "/")) {
            double d = v - before.getOrDefault(k, 0.0);
            if (d > 0) out.put(k.substring(pattern.length() + 1), d);
          }
        });
    return out;
  }

  private static void printCost(String pattern, Map<String, Double> byComponent, int n) {
    double total = byComponent.values().stream().mapToDouble(Double::doubleValue).sum();
    List<Map.Entry<String, Double>> rows = new ArrayList<>(byComponent.entrySet());
    rows.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
    StringBuilder sb = new StringBuilder();
    for (var e : rows) {
      sb.append(String.format(Locale.ROOT, " %s $%.6f", e.getKey(), e.getValue() / n * 1000));
    }
    System.out.printf(
        Locale.ROOT,
        "cost per 1,000 %s requests: $%.6f (%s)%n",
        pattern,
        total / n * 1000,
        sb.toString().trim());
  }
}
