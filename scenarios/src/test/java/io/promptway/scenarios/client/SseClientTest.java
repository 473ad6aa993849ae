package io.promptway.scenarios.client;

import static io.promptway.scenarios.client.ClientFixtures.base;
import static io.promptway.scenarios.client.ClientFixtures.call;
import static io.promptway.scenarios.client.ClientFixtures.server;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SseClientTest {
  private static void event(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void token(OutputStream out, int seq) throws IOException {
    event(
        out,
        "id: "
            + seq
            + "\nevent: token\ndata: {\"seq\":"
            + seq
            + ",\"text\":\"w"
            + seq
            + " \",\"at_ms\":"
            + (100 + 6.5 * seq)
            + "}\n\n");
  }

  @Test
  void resumesADroppedStreamWithLastEventIdWithoutGapOrDuplicate() throws Exception {
    List<String> lastEventIds = new CopyOnWriteArrayList<>();
    HttpServer server = server();
    server.createContext(
        "/sse/generate",
        ex -> {
          try (ex) {
            start(ex);
            OutputStream out = ex.getResponseBody();
            event(out, ": a comment line\n\n");
            for (int i = 0; i < 3; i++) token(out, i);
          } // dropped before "complete"
        });
    server.createContext(
        "/sse/streams/req-1",
        ex -> {
          try (ex) {
            String last = ex.getRequestHeaders().getFirst("Last-Event-ID");
            lastEventIds.add(last);
            start(ex);
            OutputStream out = ex.getResponseBody();
            for (int i = Integer.parseInt(last) + 1; i < 5; i++) token(out, i);
            event(
                out,
                "event: complete\ndata: {\"request_id\":\"req-1\",\"usage\":{\"completion_tokens\":5},\"cost\":{\"total_usd\":0.25}}\n\n");
          }
        });
    server.start();
    try (BlockingHttp http = BlockingHttp.create()) {
      ClientFixtures.Recording r = new ClientFixtures.Recording();
      new SseClient(http, base(server)).generate(GenerationCall.of("hi", "m", 5), r);
      assertEquals(List.of(), r.errors);
      assertEquals(List.of(0, 1, 2, 3, 4), r.tokens);
      assertEquals(List.of(100.0, 106.5, 113.0, 119.5, 126.0), r.emittedAtMs);
      assertEquals(List.of("2"), lastEventIds);
      assertEquals("w0 w1 w2 w3 w4 ", r.completion.text());
      assertEquals(1, r.completion.reconnects());
      assertEquals(0.25, r.completion.costUsd());
      assertEquals(5, r.completion.completionTokens());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aStreamThatTricklesPastTheClientTimeoutEndsAsAClientTimeout() throws Exception {
    CountDownLatch clientGaveUp = new CountDownLatch(1);
    HttpServer server = server();
    server.createContext(
        "/sse/generate",
        ex -> {
          try (ex) {
            start(ex);
            OutputStream out = ex.getResponseBody();
            // one token every 100 ms, each read well inside the timeout, for up to 20 s
            for (int i = 0; i < 200 && clientGaveUp.getCount() > 0; i++) {
              token(out, i);
              Thread.sleep(100);
            }
          } catch (IOException | InterruptedException e) {
            // the client hung up
          }
        });
    server.start();
    try (BlockingHttp http = BlockingHttp.create()) {
      ClientFixtures.Recording r = new ClientFixtures.Recording();
      long started = System.nanoTime();
      new SseClient(http, base(server)).generate(call(Duration.ofMillis(700), Map.of()), r);
      clientGaveUp.countDown();
      long tookMs = (System.nanoTime() - started) / 1_000_000;
      assertEquals(List.of("sending", "error"), r.calls, "one error and no completion");
      assertEquals(ClientError.Kind.CLIENT_TIMEOUT, r.error().kind());
      assertTrue(tookMs < 5_000, "gave up after " + tookMs + " ms");
      assertTrue(!r.tokens.isEmpty(), "tokens before the timeout were delivered");
    } finally {
      server.stop(0);
    }
  }

  private static void start(HttpExchange ex) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "text/event-stream");
    ex.getResponseHeaders().set("X-Request-Id", "req-1");
    ex.sendResponseHeaders(200, 0);
  }

  @Test
  void parsesMultiLineDataAndIgnoresComments() {
    List<SseEvent> events = new CopyOnWriteArrayList<>();
    SseEventParser p = new SseEventParser(events::add);
    for (String line : List.of(": hi", "event: x", "id: 7", "data: a", "data:b", "", "data: c", ""))
      p.line(line);
    assertEquals(
        List.of(new SseEvent("7", "x", "a\nb"), new SseEvent(null, "message", "c")), events);
  }
}
