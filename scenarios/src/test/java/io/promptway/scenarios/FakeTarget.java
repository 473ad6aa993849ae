package io.promptway.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The small part of the runtime's contract the replayer needs, on a JDK HttpServer: sync, SSE,
 * async and events (202 + webhook + status), the hybrid entry point answering synchronously, and a
 * meter. Each generation takes {@code delayMs} real ms while holding one of {@code concurrency}
 * permits, so an overloaded target queues work.
 */
final class FakeTarget implements AutoCloseable {
  static final double REQUEST_USD = 0.001;
  static final double TOKEN_USD = 0.0001;
  static final int TOKENS = 3;

  record Received(String pattern, int seq, JsonNode body) {}

  private final ObjectMapper json = new ObjectMapper();
  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient webhooks = HttpClient.newHttpClient();
  private final Semaphore permits;
  private final long delayMs;
  private final AtomicLong ids = new AtomicLong();
  private final AtomicInteger working = new AtomicInteger();
  final AtomicInteger peakWorking = new AtomicInteger();
  private final Map<String, ObjectNode> statuses = new ConcurrentHashMap<>();
  // when set, the hybrid entry point routes every request to its queue (202, polled at
  // /async/requests/{id}) instead of answering synchronously
  volatile boolean hybridQueues;
  private final Map<String, double[]> meter = new ConcurrentHashMap<>();
  final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
  final Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();

  FakeTarget(long delayMs, int concurrency) throws IOException {
    this.delayMs = delayMs;
    this.permits = new Semaphore(concurrency);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
    server.setExecutor(executor);
    server.createContext("/sync/generate", ex -> handle(ex, this::sync));
    server.createContext("/sse/generate", ex -> handle(ex, this::sse));
    server.createContext("/async/requests", ex -> handle(ex, e -> queued(e, "async")));
    server.createContext("/events/requests", ex -> handle(ex, e -> queued(e, "events")));
    server.createContext("/generate", ex -> handle(ex, this::hybrid));
    server.createContext("/metering/totals", ex -> handle(ex, this::totals));
    server.start();
  }

  URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** Bills something before the run, so a result must subtract it. */
  void preBill(String pattern, double usd) {
    bill(pattern, "gateway.rest.request", "gateway", 1, usd);
  }

  double billed(String pattern) {
    return meter.entrySet().stream()
        .filter(e -> e.getKey().startsWith(pattern + "|"))
        .mapToDouble(e -> e.getValue()[1])
        .sum();
  }

  List<Received> received(String pattern) {
    List<Received> out = new ArrayList<>();
    for (Received r : received) if (r.pattern().equals(pattern)) out.add(r);
    out.sort(Comparator.comparingInt(Received::seq));
    return out;
  }

  private interface Handler {
    void handle(HttpExchange exchange) throws Exception;
  }

  private void handle(HttpExchange exchange, Handler handler) {
    try (exchange) {
      handler.handle(exchange);
    } catch (Exception e) {
      try {
        exchange.sendResponseHeaders(500, -1);
      } catch (IOException ignored) {
        // already answered
      }
    }
  }

  private JsonNode record(HttpExchange ex, String pattern) throws IOException {
    JsonNode body = json.readTree(ex.getRequestBody().readAllBytes());
    String seq = ex.getRequestHeaders().getFirst("X-Promptway-Seq");
    if (seq != null) received.add(new Received(pattern, Integer.parseInt(seq), body));
    return body;
  }

  private void work(String pattern) throws InterruptedException {
    peakWorking.accumulateAndGet(working.incrementAndGet(), Math::max);
    permits.acquire();
    try {
      if (delayMs > 0) Thread.sleep(delayMs);
    } finally {
      permits.release();
      working.decrementAndGet();
    }
    bill(pattern, "gateway.rest.request", "gateway", 1, REQUEST_USD);
    bill(pattern, "output", "llm", TOKENS, TOKENS * TOKEN_USD);
  }

  private void bill(String pattern, String unit, String component, double quantity, double usd) {
    meter.compute(
        pattern + "|" + unit + "|" + component,
        (k, v) -> {
          double[] row = v == null ? new double[3] : v;
          row[0] += quantity;
          row[1] += usd;
          row[2] += 1;
          return row;
        });
  }

  private ObjectNode envelope(ObjectNode data, String id, String pattern) {
    ObjectNode env = json.createObjectNode().put("success", true);
    env.set("data", data);
    ObjectNode meta = env.putObject("metadata").put("request_id", id).put("pattern", pattern);
    meta.putObject("usage").put("prompt_tokens", 5).put("completion_tokens", TOKENS);
    return env;
  }

  private void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  private void sync(HttpExchange ex) throws Exception {
    record(ex, "sync");
    work("sync");
    String id = "req-" + ids.incrementAndGet();
    send(
        ex,
        200,
        envelope(
            json.createObjectNode().put("text", "a b c").put("finish_reason", "stop"), id, "sync"));
  }

  private void hybrid(HttpExchange ex) throws Exception {
    JsonNode body = record(ex, "hybrid");
    if (hybridQueues) {
      accept(ex, body, "hybrid");
      return;
    }
    work("hybrid");
    String id = "req-" + ids.incrementAndGet();
    ObjectNode data = json.createObjectNode().put("text", "a b c");
    data.putObject("routing").put("pattern", "sync").put("reason", "quick");
    send(ex, 200, envelope(data, id, "hybrid"));
  }

  private void sse(HttpExchange ex) throws Exception {
    record(ex, "sse");
    String id = "req-" + ids.incrementAndGet();
    ex.getResponseHeaders().set("Content-Type", "text/event-stream");
    ex.getResponseHeaders().set("X-Request-Id", id);
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    work("sse");
    for (int i = 0; i < TOKENS; i++) {
      out.write(
          ("id: " + i + "\nevent: token\ndata: {\"seq\":" + i + ",\"text\":\"t" + i + " \"}\n\n")
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
    out.write(
        ("event: complete\ndata: {\"request_id\":\""
                + id
                + "\",\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":"
                + TOKENS
                + "}}\n\n")
            .getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private void queued(HttpExchange ex, String pattern) throws Exception {
    String path = ex.getRequestURI().getPath();
    if (ex.getRequestMethod().equals("GET")) {
      String id = path.substring(path.lastIndexOf('/') + 1);
      polls.computeIfAbsent(pattern, p -> new AtomicInteger()).incrementAndGet();
      ObjectNode status = statuses.get(id);
      if (status == null) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      send(ex, 200, envelope(status, id, pattern));
      return;
    }
    accept(ex, record(ex, pattern), pattern);
  }

  private void accept(HttpExchange ex, JsonNode body, String pattern) throws Exception {
    String id = "req-" + ids.incrementAndGet();
    ObjectNode status = json.createObjectNode().put("request_id", id).put("status", "processing");
    statuses.put(id, status);
    String base = pattern.equals("events") ? "/events/requests/" : "/async/requests/";
    send(
        ex,
        202,
        envelope(
            json.createObjectNode()
                .put("request_id", id)
                .put("status", "processing")
                .put("status_url", base + id),
            id,
            pattern));
    String callback = body.path("callback_url").asText(null);
    executor.submit(
        () -> {
          work(pattern);
          ObjectNode result = json.createObjectNode().put("text", "a b c");
          result.putObject("usage").put("prompt_tokens", 5).put("completion_tokens", TOKENS);
          ObjectNode done =
              json.createObjectNode().put("request_id", id).put("status", "completed");
          done.set("result", result);
          statuses.put(id, done);
          if (callback != null) {
            ObjectNode hook =
                json.createObjectNode().put("type", "request.completed").put("request_id", id);
            hook.putObject("data").set("result", result);
            for (int attempt = 0; attempt < 3; attempt++) {
              HttpResponse<Void> r =
                  webhooks.send(
                      HttpRequest.newBuilder(URI.create(callback))
                          .POST(HttpRequest.BodyPublishers.ofString(hook.toString()))
                          .build(),
                      HttpResponse.BodyHandlers.discarding());
              if (r.statusCode() < 300) break;
            }
          }
          return null;
        });
  }

  private void totals(HttpExchange ex) throws IOException {
    ObjectNode env = json.createObjectNode().put("success", true);
    ArrayNode rows = env.putObject("data").putArray("totals");
    meter.forEach(
        (key, v) -> {
          String[] k = key.split("\\|");
          rows.addObject()
              .put("pattern", k[0])
              .put("unit", k[1])
              .put("component", k[2])
              .put("quantity", v[0])
              .put("usd", v[1])
              .put("requests", (long) v[2]);
        });
    send(ex, 200, env);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    webhooks.close();
  }
}
