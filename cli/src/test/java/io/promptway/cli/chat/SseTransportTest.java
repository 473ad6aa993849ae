package io.promptway.cli.chat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SSE transport against a loopback server that speaks the SSE pattern's contract. */
class SseTransportTest {
  private HttpServer server;
  private final List<String> lastEventIds = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile boolean holdOpen;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/sse/generate",
        exchange -> {
          OutputStream out = open(exchange);
          for (int i = 1; i <= 3; i++) token(out, i);
          if (holdOpen) await();
          exchange.close(); // the stream ends before `complete`: a drop
        });
    server.createContext(
        "/sse/streams/r-1",
        exchange -> {
          lastEventIds.add(exchange.getRequestHeaders().getFirst("Last-Event-ID"));
          OutputStream out = open(exchange);
          int from = Integer.parseInt(exchange.getRequestHeaders().getFirst("Last-Event-ID")) + 1;
          for (int i = from; i <= 5; i++) token(out, i);
          write(
              out,
              "event: complete\ndata: {\"request_id\":\"r-1\",\"usage\":{\"prompt_tokens\":7,"
                  + "\"completion_tokens\":5},\"cost\":{\"total_usd\":0.00042,\"by_component\":"
                  + "{\"llm\":0.0003,\"function\":0.00012}},\"latency_ms\":900,"
                  + "\"finish_reason\":\"stop\"}\n\n");
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  private OutputStream open(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
    exchange.getResponseHeaders().add("X-Request-Id", "r-1");
    exchange.sendResponseHeaders(200, 0);
    return exchange.getResponseBody();
  }

  private static void token(OutputStream out, int seq) throws IOException {
    write(
        out,
        "id: "
            + seq
            + "\nevent: token\ndata: {\"seq\":"
            + seq
            + ",\"text\":\"t"
            + seq
            + " \"}\n\n");
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(UTF_8));
    out.flush();
  }

  private void await() {
    try {
      release.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The fake's address, waiting 300 ms for an answer or a stream's next bytes. */
  private RuntimeHttp impatientHttp() {
    return new RuntimeHttp(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"),
        null,
        Duration.ofMillis(300));
  }

  private SseTransport transport() {
    return new SseTransport(
        new RuntimeHttp(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/")));
  }

  @Test
  void droppedStreamIsReportedAndResumedAfterTheLastEventWithNoGapOrDuplicate() throws Exception {
    List<String> tokens = new CopyOnWriteArrayList<>();
    List<String> notices = new CopyOnWriteArrayList<>();
    TokenListener listener =
        new TokenListener() {
          @Override
          public void onToken(String text) {
            tokens.add(text);
          }

          @Override
          public void onNotice(String message) {
            notices.add(message);
          }
        };

    TurnResult result =
        transport()
            .start(new TurnRequest("hi", List.of(), "gpt-4o-mini"), listener)
            .result()
            .get(10, TimeUnit.SECONDS);

    assertEquals(List.of("t1 ", "t2 ", "t3 ", "t4 ", "t5 "), tokens);
    assertEquals(List.of("3"), lastEventIds);
    assertEquals(1, notices.size());
    assertTrue(notices.get(0).contains("resuming request r-1 after event 3"), notices.get(0));
    assertEquals("t1 t2 t3 t4 t5 ", result.text());
    assertEquals(5, result.completionTokens());
    assertEquals(0.00042, result.costUsd(), 1e-12);
    assertEquals(0.0003, result.costByComponent().get("llm"), 1e-12);
  }

  @Test
  void cancellingClosesTheStreamAndReturnsACancelledResultAtOnce() throws Exception {
    holdOpen = true;
    List<String> tokens = new CopyOnWriteArrayList<>();
    CountDownLatch third = new CountDownLatch(3);
    ChatCall call =
        transport()
            .start(
                new TurnRequest("hi", List.of(), "gpt-4o-mini"),
                text -> {
                  tokens.add(text);
                  third.countDown();
                });
    assertTrue(third.await(10, TimeUnit.SECONDS));

    call.cancel();

    TurnResult result = call.result().get(1, TimeUnit.SECONDS);
    assertTrue(result.cancelled());
    assertEquals("r-1", result.requestId());
    release.countDown();
    assertTrue(lastEventIds.isEmpty(), "a cancelled stream is not resumed");
  }

  @Test
  void aStreamThatFallsSilentEndsTheTurnWithATimeoutInsteadOfWaitingForEver() throws Exception {
    holdOpen = true; // three tokens, then nothing, not even a keep-alive comment
    SseTransport transport = new SseTransport(impatientHttp());

    ChatCall call = transport.start(new TurnRequest("hi", List.of(), "gpt-4o-mini"), text -> {});

    var failure =
        assertThrows(ExecutionException.class, () -> call.result().get(10, TimeUnit.SECONDS));
    assertInstanceOf(HttpTimeoutException.class, failure.getCause());
    assertEquals("the runtime did not answer in time", ChatRepl.describe(failure));
    assertTrue(lastEventIds.isEmpty(), "a silent runtime is not asked to resume");
  }

  @Test
  void aSyncTurnAgainstARuntimeThatNeverAnswersEndsWithATimeout() throws Exception {
    server.createContext("/sync/generate", exchange -> await());
    SyncTransport transport = new SyncTransport(impatientHttp());

    ChatCall call = transport.start(new TurnRequest("hi", List.of(), "gpt-4o-mini"), text -> {});

    var failure =
        assertThrows(ExecutionException.class, () -> call.result().get(10, TimeUnit.SECONDS));
    assertEquals("the runtime did not answer in time", ChatRepl.describe(failure));
  }
}
