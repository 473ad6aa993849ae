package io.promptway.scenarios.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
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
            + " \"}\n\n");
  }

  @Test
  void resumesADroppedStreamWithLastEventIdWithoutGapOrDuplicate() throws Exception {
    List<String> lastEventIds = new CopyOnWriteArrayList<>();
    HttpServer server = loopbackServer();
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
      var client =
          new SseClient(
              http, URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"));
      List<Integer> seqs = new CopyOnWriteArrayList<>();
      Completion[] done = new Completion[1];
      client.generate(
          GenerationCall.of("hi", "m", 5),
          new GenerationListener() {
            @Override
            public void onToken(int seq, String text) {
              seqs.add(seq);
            }

            @Override
            public void onComplete(Completion completion) {
              done[0] = completion;
            }

            @Override
            public void onError(ClientError error) {
              throw new AssertionError(error.toString());
            }
          });
      assertEquals(List.of(0, 1, 2, 3, 4), seqs);
      assertEquals(List.of("2"), lastEventIds);
      assertEquals("w0 w1 w2 w3 w4 ", done[0].text());
      assertEquals(1, done[0].reconnects());
      assertEquals(0.25, done[0].costUsd());
      assertEquals(5, done[0].completionTokens());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aStreamThatTricklesPastTheClientTimeoutEndsAsAClientTimeout() throws Exception {
    CountDownLatch clientGaveUp = new CountDownLatch(1);
    HttpServer server = loopbackServer();
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
      var client =
          new SseClient(
              http, URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"));
      GenerationCall base = GenerationCall.of("hi", "m", 5);
      GenerationCall call =
          new GenerationCall(
              base.prompt(),
              base.model(),
              base.maxTokens(),
              base.priority(),
              base.userTier(),
              null,
              Map.of(),
              Duration.ofMillis(700),
              null,
              false,
              false,
              true);
      List<ClientError> errors = new CopyOnWriteArrayList<>();
      List<Integer> seqs = new CopyOnWriteArrayList<>();
      long started = System.nanoTime();
      client.generate(
          call,
          new GenerationListener() {
            @Override
            public void onToken(int seq, String text) {
              seqs.add(seq);
            }

            @Override
            public void onComplete(Completion completion) {
              throw new AssertionError("no completion expected");
            }

            @Override
            public void onError(ClientError error) {
              errors.add(error);
            }
          });
      clientGaveUp.countDown();
      long tookMs = (System.nanoTime() - started) / 1_000_000;
      assertEquals(1, errors.size());
      assertEquals(ClientError.Kind.CLIENT_TIMEOUT, errors.getFirst().kind());
      assertTrue(tookMs < 5_000, "gave up after " + tookMs + " ms");
      assertTrue(!seqs.isEmpty(), "tokens before the timeout were delivered");
    } finally {
      server.stop(0);
    }
  }

  private static HttpServer loopbackServer() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    return server;
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
