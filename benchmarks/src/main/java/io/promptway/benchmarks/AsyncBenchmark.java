package io.promptway.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.promptway.patterns.PromptwayServer;
import io.promptway.patterns.RunningRuntime;
import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.config.ConfigLoader;
import io.promptway.runtime.config.RuntimeConfig;
import io.promptway.runtime.db.Database;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.metering.JdbcMeter;
import io.promptway.runtime.metering.Meter;
import io.promptway.runtime.metering.PriceTable;
import io.promptway.runtime.queue.JdbcMessageQueue;
import io.promptway.runtime.queue.QueueSettings;
import io.promptway.runtime.queue.ReceivedMessage;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures the async building blocks on this machine: (1) raw queue throughput on an H2 file (send,
 * batch receive, delete), (2) end-to-end async requests/s with the instant model (POST
 * /async/requests until the signed webhook arrives), (3) the metered cost per 1,000 requests of the
 * same workload through async and through sync.
 *
 * <p>usage: AsyncBenchmark [queue_messages=20000] [async_requests=2000] [client_concurrency=32]
 */
public final class AsyncBenchmark {
  private static final String BODY =
      "{\"prompt\":\"Summarise the benefits of queues in two sentences.\",\"model\":\"instant\","
          + "\"max_tokens\":16%s}";

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int requests = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
    int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    Path dir = Files.createTempDirectory("promptway-async-bench");
    queueThroughput(dir, messages);
    endToEnd(dir, requests, concurrency);
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

  private static void endToEnd(Path dir, int n, int concurrency) throws Exception {
    Set<String> delivered = ConcurrentHashMap.newKeySet();
    CountDownLatch all = new CountDownLatch(n);
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
    receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    receiver.createContext(
        "/hook",
        ex -> {
          JsonNode hook = Json.mapper().readTree(ex.getRequestBody().readAllBytes());
          if (delivered.add(hook.path("request_id").asText())) all.countDown();
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    receiver.start();
    String callback = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    RuntimeConfig config =
        new ConfigLoader()
            .load(
                null,
                Map.of(
                    "server.port", 0,
                    "state.db_path", dir.resolve("state").toString(),
                    "async.workers", 4,
                    "async.concurrency_per_worker", 10));
    try (RunningRuntime runtime = PromptwayServer.start(config);
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      HttpClient http = HttpClient.newBuilder().executor(clients).build();
      URI base = runtime.baseUri();
      // warm-up: not measured, not counted
      drive(http, base.resolve("sync/generate"), String.format(BODY, ""), 200, concurrency);
      Map<String, Double> before = totals(runtime);

      long start = System.nanoTime();
      double acceptSeconds =
          drive(
              http,
              base.resolve("async/requests"),
              String.format(BODY, ",\"callback_url\":\"" + callback + "\""),
              n,
              concurrency);
      boolean finished = all.await(10, TimeUnit.MINUTES);
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<String, Double> afterAsync = totals(runtime);
      System.out.printf(
          Locale.ROOT,
          "async end to end: %d requests accepted in %.2f s (%.0f accepted/s), all %d webhooks in"
              + " %.2f s = %.0f completed requests/s%s%n",
          n,
          acceptSeconds,
          n / acceptSeconds,
          delivered.size(),
          seconds,
          delivered.size() / seconds,
          finished ? "" : " (TIMED OUT)");

      double syncSeconds =
          drive(http, base.resolve("sync/generate"), String.format(BODY, ""), n, concurrency);
      Map<String, Double> afterSync = totals(runtime);
      System.out.printf(
          Locale.ROOT,
          "sync, same workload: %d requests in %.2f s = %.0f requests/s%n",
          n,
          syncSeconds,
          n / syncSeconds);
      printCost("async", diff(afterAsync, before, "async"), n);
      printCost("sync", diff(afterSync, afterAsync, "sync"), n);
    } finally {
      receiver.stop(0);
    }
  }

  /** Sends n POSTs with at most {@code concurrency} in flight; returns the seconds it took. */
  private static double drive(HttpClient http, URI uri, String body, int n, int concurrency)
      throws Exception {
    Semaphore inFlight = new Semaphore(concurrency);
    CountDownLatch done = new CountDownLatch(n);
    AtomicLong failures = new AtomicLong();
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      inFlight.acquire();
      http.sendAsync(
              HttpRequest.newBuilder(uri)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .whenComplete(
              (r, t) -> {
                if (t != null || r.statusCode() / 100 != 2) failures.incrementAndGet();
                inFlight.release();
                done.countDown();
              });
    }
    done.await();
    if (failures.get() > 0)
      System.out.println("  " + failures.get() + " failed requests to " + uri);
    return (System.nanoTime() - start) / 1e9;
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
