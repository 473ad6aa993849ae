package io.promptway.scenarios.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
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
    try {
      var client =
          new SseClient(
              PatternClients.httpClient(),
              URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"));
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
