package io.promptway.benchmarks.streaming;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Holds many concurrent SSE streams and WebSocket chat sessions against a runtime started as its
 * own process ({@code java -jar cli/target/promptway.jar serve}) and reports how many were held
 * while receiving tokens, the aggregate token rate delivered to clients, and the server's RSS
 * (VmRSS from /proc) and thread count.
 *
 * <pre>
 * java -cp benchmarks/target/classes io.promptway.benchmarks.streaming.StreamingLoad \
 *   --sse 3000 --ws 3000 --interval 100ms --hold 30
 * </pre>
 *
 * Options: --sse N, --ws N (concurrent clients of each kind), --interval (the model's inter-token
 * latency), --tokens (output tokens per stream, long enough to outlast the run), --hold (seconds
 * measured once every client is open), --rate (new connections per second), --jar, --heap (server
 * -Xmx), --server-jvm-args, --client-addresses (loopback addresses the clients bind to, one
 * HttpClient each, spreading ephemeral ports).
 *
 * <p>One process can hold only as many sockets as its file limit allows (20,000 here), so a run of
 * 10,000 + 10,000 splits the clients over processes: {@code --serve-only true} starts the server
 * and waits (printing {@code SERVER pid=... port=...}); client processes given {@code --attach PORT
 * --server-pid PID} open their clients against it and start measuring at {@code --measure-at}
 * (epoch milliseconds), so their windows coincide. {@code benchmarks/streaming-load.sh} does this.
 */
public final class StreamingLoad {
  private final Map<String, String> opts;

  private StreamingLoad(Map<String, String> opts) {
    this.opts = opts;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2)
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    new StreamingLoad(opts).run();
  }

  private String opt(String key, String fallback) {
    return opts.getOrDefault(key, fallback);
  }

  private void run() throws Exception {
    int sse = Integer.parseInt(opt("sse", "1000"));
    int ws = Integer.parseInt(opt("ws", "1000"));
    String interval = opt("interval", "100ms");
    int tokens = Integer.parseInt(opt("tokens", "4000"));
    int hold = Integer.parseInt(opt("hold", "30"));
    int rate = Integer.parseInt(opt("rate", "1000"));
    boolean attached = opts.containsKey("attach");
    int port = attached ? Integer.parseInt(opt("attach", "0")) : freePort();
    Process server = attached ? null : startServer(port, interval, tokens);
    long serverPid = attached ? Long.parseLong(opt("server-pid", "0")) : server.pid();
    if (Boolean.parseBoolean(opt("serve-only", "false"))) {
      awaitHealthy(URI.create("http://127.0.0.1:" + port + "/"));
      System.out.println("SERVER pid=" + serverPid + " port=" + port);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    server.destroy();
                    try {
                      if (!server.waitFor(10, TimeUnit.SECONDS)) server.destroyForcibly();
                    } catch (InterruptedException e) {
                      server.destroyForcibly();
                    }
                  }));
      server.waitFor(Long.parseLong(opt("serve-seconds", "600")), TimeUnit.SECONDS);
      server.destroy();
      if (!server.waitFor(10, TimeUnit.SECONDS)) server.destroyForcibly();
      System.exit(0);
    }
    List<HttpClient> clients = new ArrayList<>();
    try {
      URI base = URI.create("http://127.0.0.1:" + port + "/");
      awaitHealthy(base);
      String[] addresses =
          opt("client-addresses", "127.0.0.2,127.0.0.3,127.0.0.4,127.0.0.5").split(",");
      for (String a : addresses) {
        clients.add(
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .localAddress(InetAddress.getByName(a))
                .connectTimeout(Duration.ofSeconds(30))
                .build());
      }
      List<TokenCounter> streams = new ArrayList<>();
      List<Session> sessions = new ArrayList<>();
      AtomicInteger failures = new AtomicInteger();
      long openStart = System.nanoTime();
      int total = sse + ws;
      for (int i = 0; i < total; i++) {
        HttpClient c = clients.get(i % clients.size());
        if (i % 2 == 0 ? streams.size() < sse : sessions.size() >= ws) {
          streams.add(openSse(c, base, tokens, failures));
        } else {
          sessions.add(openWs(c, base, tokens, failures));
        }
        pace(openStart, i + 1, rate);
      }
      long openedMs = (System.nanoTime() - openStart) / 1_000_000;
      long measureAt = Long.parseLong(opt("measure-at", "0"));
      long untilMeasure = measureAt - System.currentTimeMillis();
      if (untilMeasure > 0) Thread.sleep(untilMeasure);
      Sample before = sample(serverPid, streams, sessions);
      long[] sseBefore = counts(streams.stream().map(s -> s.tokens).toList());
      long[] wsBefore = counts(sessions.stream().map(s -> s.tokens).toList());
      long maxRss = 0;
      int maxThreads = 0;
      long start = System.nanoTime();
      for (int s = 0; s < hold; s++) {
        Thread.sleep(1000);
        Sample now = sample(serverPid, streams, sessions);
        maxRss = Math.max(maxRss, now.rssKb());
        maxThreads = Math.max(maxThreads, now.threads());
        System.out.printf(
            Locale.ROOT,
            "t=%2ds tokens/s=%,9.0f  server RSS=%,d MB threads=%d  failures=%d%n",
            s + 1,
            (now.tokens() - before.tokens()) / ((System.nanoTime() - start) / 1e9),
            now.rssKb() / 1024,
            now.threads(),
            failures.get());
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Sample after = sample(serverPid, streams, sessions);
      long[] sseAfter = counts(streams.stream().map(s -> s.tokens).toList());
      long[] wsAfter = counts(sessions.stream().map(s -> s.tokens).toList());
      int sseHeld = receiving(sseBefore, sseAfter);
      int wsHeld = receiving(wsBefore, wsAfter);
      double tps = (after.tokens() - before.tokens()) / seconds;
      double cpu = after.cpuSeconds() - before.cpuSeconds();
      double load = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
      long delivered = after.tokens() - before.tokens();
      System.out.printf(
          Locale.ROOT,
          "%nRESULT sse=%d/%d ws=%d/%d held-and-receiving, opened in %d ms, aggregate %,.0f tokens/s over %.0f s,"
              + " server max RSS %,d MB, max threads %d, failures %d; server CPU %.1f s (%.2f cores),"
              + " %,.0f tokens per server CPU-second; %d cores, load average %.1f%n",
          sseHeld,
          sse,
          wsHeld,
          ws,
          openedMs,
          tps,
          seconds,
          maxRss / 1024,
          maxThreads,
          failures.get(),
          cpu,
          cpu / seconds,
          cpu > 0 ? delivered / cpu : 0.0,
          Runtime.getRuntime().availableProcessors(),
          load);
      for (Session s : sessions) s.close();
      for (TokenCounter t : streams) t.cancel();
    } finally {
      if (server != null) {
        server.destroy();
        if (!server.waitFor(10, TimeUnit.SECONDS)) server.destroyForcibly();
      }
      for (HttpClient c : clients) c.shutdownNow();
    }
    System.exit(0);
  }

  private static void pace(long start, int opened, int perSecond) throws InterruptedException {
    long due = start + (long) (opened * 1e9 / perSecond);
    long wait = due - System.nanoTime();
    if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
  }

  private Process startServer(int port, String interval, int tokens) throws IOException {
    Path config = Files.createTempFile("promptway-streaming-bench", ".yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "state:",
            "  jdbc_url: \"jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1\"",
            "gateway:",
            "  max_tokens_cap: " + Math.max(4096, tokens),
            "function:",
            "  concurrency_limit: 100000   # the account default is 1000; raised for the load test",
            "llm:",
            "  default_model: bench-fast",
            "  models:",
            "    bench-fast:",
            "      ttft: {median: 50ms, p95: 50ms}",
            "      inter_token: {median: " + interval + ", p95: " + interval + "}",
            "      output_tokens: {median: " + tokens + ", p95: " + tokens + "}",
            "      chars_per_token: 4.0",
            "      context_window: 128000",
            "prices:",
            "  llm:",
            "    bench-fast: {input: 0.15, output: 0.60}",
            ""));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Xmx" + opt("heap", "1g"));
    cmd.add("-XX:+UseSerialGC".equals(opt("gc", "")) ? "-XX:+UseSerialGC" : "-XX:+UseG1GC");
    for (String a : opt("server-jvm-args", "").trim().split("\\s+")) if (!a.isEmpty()) cmd.add(a);
    cmd.addAll(
        List.of(
            "-jar",
            opt("jar", "cli/target/promptway.jar"),
            "serve",
            "--config",
            config.toString(),
            "--port",
            Integer.toString(port)));
    System.out.println("server: " + String.join(" ", cmd));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(Path.of(opt("server-log", "target/streaming-bench-server.log")).toFile())
        .start();
  }

  private static void awaitHealthy(URI base) throws Exception {
    HttpClient c = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        if (c.send(
                    HttpRequest.newBuilder(base.resolve("health")).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("server did not become healthy within 60 s");
  }

  private static TokenCounter openSse(HttpClient c, URI base, int tokens, AtomicInteger failures) {
    TokenCounter counter = new TokenCounter();
    HttpRequest req =
        HttpRequest.newBuilder(base.resolve("sse/generate"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"prompt\":\"Benchmark stream\",\"model\":\"bench-fast\",\"max_tokens\":"
                        + tokens
                        + "}"))
            .build();
    c.sendAsync(
            req,
            info ->
                info.statusCode() == 200 ? counter : HttpResponse.BodySubscribers.replacing(null))
        .whenComplete(
            (r, t) -> {
              if (t != null || r.statusCode() != 200) failures.incrementAndGet();
            });
    return counter;
  }

  /** One WebSocket chat client counting the token messages it receives. */
  static final class Session implements WebSocket.Listener {
    final AtomicLong tokens = new AtomicLong();
    private boolean midMessage;
    volatile WebSocket ws;

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      if (!midMessage
          && data.length() > 16
          && data.subSequence(0, 16).toString().equals("{\"type\":\"token\",")) {
        tokens.incrementAndGet();
      }
      midMessage = !last;
      return null;
    }

    void close() {
      WebSocket w = ws;
      if (w != null) w.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(t -> null);
    }
  }

  private static Session openWs(HttpClient c, URI base, int tokens, AtomicInteger failures) {
    Session s = new Session();
    URI uri = URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/ws/chat");
    c.newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(30))
        .buildAsync(uri, s)
        .whenComplete(
            (w, t) -> {
              if (t != null) {
                failures.incrementAndGet();
                return;
              }
              s.ws = w;
              w.sendText(
                  "{\"action\":\"generate\",\"prompt\":\"Benchmark chat\",\"model\":\"bench-fast\",\"max_tokens\":"
                      + tokens
                      + "}",
                  true);
            });
    return s;
  }

  /**
   * Server RSS and threads from /proc status, its CPU seconds from /proc stat, tokens received so
   * far.
   */
  record Sample(long rssKb, int threads, long tokens, double cpuSeconds) {}

  private static Sample sample(long pid, List<TokenCounter> streams, List<Session> sessions)
      throws IOException {
    long rss = 0;
    int threads = 0;
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) rss = Long.parseLong(line.replaceAll("\\D", ""));
      if (line.startsWith("Threads:")) threads = Integer.parseInt(line.replaceAll("\\D", ""));
    }
    long t = 0;
    for (TokenCounter s : streams) t += s.tokens.get();
    for (Session s : sessions) t += s.tokens.get();
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    double cpu =
        (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime + stime in clock ticks
    return new Sample(rss, threads, t, cpu);
  }

  private static long[] counts(List<AtomicLong> counters) {
    long[] out = new long[counters.size()];
    for (int i = 0; i < out.length; i++) out[i] = counters.get(i).get();
    return out;
  }

  private static int receiving(long[] before, long[] after) {
    int n = 0;
    for (int i = 0; i < before.length; i++) if (after[i] > before[i]) n++;
    return n;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
