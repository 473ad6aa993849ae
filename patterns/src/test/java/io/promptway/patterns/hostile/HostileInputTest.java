package io.promptway.patterns.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.patterns.PromptwayServer;
import io.promptway.patterns.RunningRuntime;
import io.promptway.runtime.config.ConfigLoader;
import io.promptway.runtime.http.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Sends 10,000 seeded hostile requests at every pattern endpoint, with valid requests in between,
 * and checks that every hostile one gets a 4xx in the error envelope (the provider's OpenAI-format
 * error on {@code /llm}), never a 5xx or a stack trace, and that every valid one is served.
 */
class HostileInputTest {
  private static final int PROBES = 10_000;
  private static final int VALID_EVERY = 100;
  private static final int MAX_PAYLOAD = 65_536;
  private static final int MAX_HEADERS = 8_192;
  private static final int MAX_PROMPT = 20_000;
  private static final String VALID = "{\"prompt\":\"still serving?\",\"max_tokens\":4}";

  @Test
  void tenThousandHostileRequestsGet4xxEnvelopesWhileValidRequestsKeepBeingServed()
      throws Exception {
    var config =
        new ConfigLoader()
            .load(
                null,
                Map.of(
                    "server.host",
                    "127.0.0.1",
                    "server.port",
                    0,
                    "state.jdbc_url",
                    "jdbc:h2:mem:hostile" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                    "llm.default_model",
                    "instant",
                    "environment",
                    "production",
                    "gateway.max_payload_bytes",
                    MAX_PAYLOAD,
                    "gateway.max_header_bytes",
                    MAX_HEADERS,
                    "gateway.max_prompt_chars",
                    MAX_PROMPT,
                    "gateway.throttle.steady_rps",
                    10_000_000,
                    "gateway.throttle.burst",
                    10_000_000));
    List<HostileRequests.Probe> probes =
        new HostileRequests(20261126L, MAX_PAYLOAD, MAX_HEADERS, MAX_PROMPT).generate(PROBES);
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    List<String> failures = new ArrayList<>();
    Map<String, AtomicInteger> byStatus = new ConcurrentHashMap<>();
    AtomicInteger validServed = new AtomicInteger();
    Map<String, AtomicLong> nanosByCategory = new ConcurrentHashMap<>();
    long started = System.nanoTime();
    try (RunningRuntime rt = PromptwayServer.start(config)) {
      ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> futures = new ArrayList<>();
      AtomicInteger next = new AtomicInteger();
      for (int w = 0; w < 8; w++) {
        futures.add(
            pool.submit(
                () -> {
                  int i;
                  while ((i = next.getAndIncrement()) < PROBES) {
                    HostileRequests.Probe p = probes.get(i);
                    long t0 = System.nanoTime();
                    try {
                      Answer a = p.raw() != null ? sendRaw(rt, p) : sendOnce(http, rt, p);
                      byStatus
                          .computeIfAbsent(p.category() + " " + a.status, k -> new AtomicInteger())
                          .incrementAndGet();
                      String problem = check(p, a);
                      if (problem != null) problems.add(problem + " <- " + p.describe());
                      nanosByCategory
                          .computeIfAbsent(p.category(), k -> new AtomicLong())
                          .addAndGet(System.nanoTime() - t0);
                    } catch (Exception e) {
                      // Past the server's hard header limit it answers 400 and closes at once; a
                      // client still sending may see the reset instead of the answer.
                      if (!p.category().equals("oversized_header_hard")) {
                        problems.add("no answer (" + e + ") <- " + p.describe());
                      }
                    }
                    if (i % VALID_EVERY == 0) {
                      long t1 = System.nanoTime();
                      try {
                        HttpResponse<String> ok = sendValid(http, rt);
                        if (ok.statusCode() == 200) validServed.incrementAndGet();
                        else
                          problems.add("valid request got " + ok.statusCode() + ": " + ok.body());
                      } catch (Exception e) {
                        problems.add("valid request failed: " + e);
                      }
                      nanosByCategory
                          .computeIfAbsent("valid", k -> new AtomicLong())
                          .addAndGet(System.nanoTime() - t1);
                    }
                  }
                }));
      }
      for (Future<?> f : futures) f.get(120, TimeUnit.SECONDS);
      pool.shutdown();
      failures.addAll(problems);
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(rt.baseUri().resolve("health")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode(), "the runtime is healthy after the barrage");
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "hostile input: %d probes in %.1f s; answers %s%n",
        PROBES, seconds, new TreeMap<>(byStatus));
    nanosByCategory.forEach(
        (k, v) -> System.out.printf("  %s: %.1f s of worker time%n", k, v.get() / 1e9));
    Files.write(Path.of("target", "hostile-failures.txt"), failures);
    if (!failures.isEmpty()) {
      fail(
          failures.size()
              + " bad answers, first ones:\n"
              + String.join("\n", failures.subList(0, Math.min(25, failures.size()))));
    }
    assertEquals(
        PROBES / VALID_EVERY, validServed.get(), "every valid request in between was served");
    // 18-26 s measured on 2 cores shared with other builds (load average ~20).
    assertTrue(seconds < 60, "took " + seconds + " s");
  }

  private record Answer(int status, String contentType, String body) {}

  private static String check(HostileRequests.Probe p, Answer a) {
    if (a.status < 400 || a.status > 499) return "status " + a.status + " " + abbreviate(a.body);
    String lower = a.body.toLowerCase(Locale.ROOT);
    if (lower.contains("exception") || lower.contains("\tat ") || lower.contains(".java:"))
      return "stack trace leaked: " + abbreviate(a.body);
    if (a.contentType == null || !a.contentType.startsWith("application/json"))
      return "content type " + a.contentType + " " + abbreviate(a.body);
    JsonNode body;
    try {
      body = Json.mapper().readTree(a.body);
    } catch (IOException e) {
      return "body is not JSON: " + abbreviate(a.body);
    }
    if (body == null || !body.isObject()) return "body is not an object: " + abbreviate(a.body);
    boolean provider = p.path().startsWith("/llm/");
    if (provider && body.path("error").path("message").isTextual() && !body.has("success"))
      return null; // OpenAI format
    if (!body.path("success").isBoolean() || body.path("success").asBoolean())
      return "no envelope: " + abbreviate(a.body);
    if (body.at("/error/code").asText().isEmpty() || body.at("/error/message").asText().isEmpty())
      return "envelope without code/message: " + abbreviate(a.body);
    return null;
  }

  /**
   * Sends {@code p} with the pooled client; when the connection it took turns out closed before any
   * answer ("received no bytes"), sends it once more on a fresh connection. The JDK client retries
   * only idempotent requests itself, and a pooled connection can be closed by the server in the
   * instant the client reuses it. A request the runtime does not answer on a fresh connection
   * either still fails the test.
   */
  private static Answer sendOnce(HttpClient http, RunningRuntime rt, HostileRequests.Probe p)
      throws Exception {
    try {
      return send(http, rt, p);
    } catch (IOException e) {
      if (p.category().equals("oversized_header_hard") || !closedBeforeAnswer(e)) throw e;
      return sendRaw(rt, asRaw(p));
    }
  }

  /** The JDK client's failure for a connection closed before any byte of an answer. */
  private static boolean closedBeforeAnswer(IOException e) {
    return e.getMessage() != null && e.getMessage().contains("received no bytes");
  }

  /** A valid request, sent again once if its pooled connection was found closed (see above). */
  private static HttpResponse<String> sendValid(HttpClient http, RunningRuntime rt)
      throws Exception {
    try {
      return http.send(valid(rt.baseUri()), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      if (!closedBeforeAnswer(e)) throw e;
      return http.send(valid(rt.baseUri()), HttpResponse.BodyHandlers.ofString());
    }
  }

  private static Answer send(HttpClient http, RunningRuntime rt, HostileRequests.Probe p)
      throws Exception {
    URI uri;
    try {
      uri = URI.create(rt.baseUri().toString().replaceAll("/$", "") + p.path());
    } catch (IllegalArgumentException notAUri) {
      return sendRaw(rt, asRaw(p)); // a path the client library refuses to send
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
    // Lets the server refuse an oversized body before it is sent, so the answer is not lost.
    if (p.category().equals("oversized_body")) b.expectContinue(true);
    p.headers().forEach(b::header);
    b.method(
        p.method(),
        p.body() == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(p.body()));
    HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(
        res.statusCode(), res.headers().firstValue("Content-Type").orElse(null), res.body());
  }

  private static Answer sendRaw(RunningRuntime rt, HostileRequests.Probe p) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", rt.port()), 5000);
      s.setSoTimeout(15_000);
      OutputStream out = s.getOutputStream();
      byte[] raw = p.raw();
      if (p.chunkDelayMillis() > 0) {
        for (int i = 0; i < raw.length; i += 8) {
          out.write(raw, i, Math.min(8, raw.length - i));
          out.flush();
          try {
            Thread.sleep(p.chunkDelayMillis()); // a slow client, not synchronisation
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
          }
        }
      } else {
        out.write(raw);
        out.flush();
      }
      return parse(s.getInputStream());
    }
  }

  private static HostileRequests.Probe asRaw(HostileRequests.Probe p) {
    StringBuilder sb =
        new StringBuilder(
            p.method() + " " + p.path() + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
    p.headers().forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
    byte[] body = p.body() == null ? new byte[0] : p.body();
    if (p.body() != null) sb.append("Content-Length: ").append(body.length).append("\r\n");
    sb.append("\r\n");
    byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
    byte[] raw = Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, raw, head.length, body.length);
    return new HostileRequests.Probe(p.category(), "RAW", p.path(), Map.of(), null, raw, 0);
  }

  /** Reads one HTTP/1.1 response (Content-Length or to end of stream). */
  private static Answer parse(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int c = in.read();
      if (c < 0) throw new IOException("connection closed before a response; got " + head);
      head.write(c);
      state =
          (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3))
              ? state + 1
              : 0;
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    String contentType = null;
    int length = -1;
    for (String l : lines) {
      int colon = l.indexOf(':');
      if (colon < 0) continue;
      String name = l.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = l.substring(colon + 1).trim();
      if (name.equals("content-type")) contentType = value;
      if (name.equals("content-length")) length = Integer.parseInt(value);
    }
    byte[] body = length >= 0 ? in.readNBytes(length) : in.readAllBytes();
    return new Answer(status, contentType, new String(body, StandardCharsets.UTF_8));
  }

  private static HttpRequest valid(URI base) {
    return HttpRequest.newBuilder(base.resolve("sync/generate"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(VALID))
        .build();
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
