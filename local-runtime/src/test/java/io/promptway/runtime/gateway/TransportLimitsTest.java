package io.promptway.runtime.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.promptway.runtime.config.ConfigLoader;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.observability.MetricsRegistry;
import io.promptway.runtime.observability.RuntimeMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TransportLimitsTest {
  private final RuntimeMetrics metrics = new RuntimeMetrics(new MetricsRegistry(), 1);
  private final AtomicInteger ids = new AtomicInteger();
  private final WebServer server = start();

  private WebServer start() {
    WebServerConfig.Builder b =
        WebServer.builder()
            .host("127.0.0.1")
            .port(0)
            .routing(r -> r.get("/health", (req, res) -> res.send("ok")));
    new TransportLimits(metrics, () -> "req_" + ids.incrementAndGet())
        .apply(b, new ConfigLoader().load(null, Map.of()).gateway());
    return b.build().start();
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  /** A status, headers (lower-case names) and body, read until the server closes. */
  private record Answer(int status, Map<String, String> headers, String body) {
    JsonNode json() throws IOException {
      return Json.mapper().readTree(body);
    }
  }

  private Answer send(String raw) throws IOException {
    return send(raw, false);
  }

  /** Sends {@code raw} and reads one answer; {@code thenClosed}: the server closes after it. */
  private Answer send(String raw, boolean thenClosed) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      Answer a = read(s.getInputStream());
      if (thenClosed) assertEquals(-1, s.getInputStream().read(), "closed after " + a);
      return a;
    }
  }

  /** Reads one answer: its head, then Content-Length bytes or, without one, to the end. */
  private static Answer read(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int c;
    while (head.indexOf("\r\n\r\n") < 0 && (c = in.read()) >= 0) head.append((char) c);
    Answer a = parse(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    String length = a.headers().get("content-length");
    byte[] body = length == null ? in.readAllBytes() : in.readNBytes(Integer.parseInt(length));
    return new Answer(a.status(), a.headers(), new String(body, StandardCharsets.UTF_8));
  }

  private static Answer parse(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) throw new AssertionError("no HTTP answer, got: '" + text + "'");
    String[] lines = text.substring(0, end).split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).strip());
    }
    return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
  }

  private void assertEnveloped(Answer a, int status, String code) throws IOException {
    assertEquals(status, a.status(), a.toString());
    assertEquals(code, a.json().at("/error/code").asText(), a.body());
    assertTrue(a.headers().getOrDefault("x-request-id", "").startsWith("req_"), a.toString());
    assertEquals("close", a.headers().get("connection"), a.toString());
  }

  @Test
  void anHttp10RequestGets505InTheEnvelopeAndIsCounted() throws IOException {
    assertEnveloped(send("GET /health HTTP/1.0\r\n\r\n", true), 505, "HTTP_VERSION_NOT_SUPPORTED");
    assertEquals(
        "the HTTP version is not supported: the server speaks HTTP/1.1",
        send("GET /health HTTP/1.0\r\n\r\n").json().at("/error/message").asText());
    String scraped = metrics.registry().scrape();
    assertTrue(scraped.contains("reason=\"http_version_not_supported\""), scraped);
    assertTrue(scraped.contains("route=\"transport\""), scraped);
  }

  @Test
  void otherHttpVersionsGet505() throws IOException {
    for (String version : new String[] {"HTTP/3.7", "HTTP/2", "HTTP/2.0"}) {
      assertEnveloped(
          send("GET /health " + version + "\r\nHost: x\r\n\r\n", true),
          505,
          "HTTP_VERSION_NOT_SUPPORTED");
    }
  }

  @Test
  void brokenRequestLinesGet400InTheEnvelope() throws IOException {
    for (String raw :
        new String[] {
          "GARBAGE\r\n\r\n",
          "GET /health\r\n\r\n",
          "GET /health HTTP/1.1 extra\r\nHost: x\r\n\r\n",
          "GET /health HTTP/1.1\nHost: x\n\n",
          "GET / HTTPX\r\nHost: x\r\n\r\n"
        }) {
      assertEnveloped(send(raw, true), 400, "BAD_REQUEST");
    }
  }

  @Test
  void aRequestLineUpToTheLimitIsServed() throws IOException {
    String path = "/health?q=" + "a".repeat(TransportLimits.MAX_REQUEST_LINE - 100);
    Answer ok = send("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertEquals(200, ok.status(), ok.toString());
    assertEquals("ok", ok.body());
  }
}
