package io.promptway.cli.chat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.promptway.runtime.http.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The async, events and hybrid transports against a loopback server speaking their contract. */
class QueuedAndHybridTransportTest {
  private static final String RESULT =
      "{\"text\":\"queued answer\",\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2},"
          + "\"cost\":{\"total_usd\":0.0005,\"by_component\":{\"queue\":0.0001,\"llm\":0.0004}}}";

  private HttpServer server;
  private final AtomicReference<String> callbackUrl = new AtomicReference<>();
  private final AtomicInteger polls = new AtomicInteger();
  private final List<String> posted = new CopyOnWriteArrayList<>();
  private final List<String> apiKeys = new CopyOnWriteArrayList<>();
  private volatile String status = "processing";
  private volatile String hybridAnswer;
  private volatile String routedModel;
  private volatile int attempts = 2;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/async/requests",
        exchange -> {
          if (exchange.getRequestMethod().equals("POST")) {
            JsonNode body = Json.mapper().readTree(exchange.getRequestBody());
            posted.add("async " + body);
            callbackUrl.set(body.path("callback_url").asText(null));
            send(
                exchange,
                202,
                "{\"success\":true,\"data\":{\"request_id\":\"a-1\",\"status\":\"processing\","
                    + "\"status_url\":\"/async/requests/a-1\"}}");
          } else {
            polls.incrementAndGet();
            send(exchange, 200, statusBody("a-1"));
          }
        });
    server.createContext(
        "/events/requests",
        exchange -> {
          apiKeys.add(String.valueOf(exchange.getRequestHeaders().getFirst("x-api-key")));
          if (exchange.getRequestMethod().equals("POST")) {
            posted.add("events " + new String(exchange.getRequestBody().readAllBytes(), UTF_8));
            send(
                exchange,
                202,
                "{\"success\":true,\"data\":{\"request_id\":\"e-1\",\"status\":\"queued\","
                    + "\"status_url\":\"/events/requests/e-1\"}}");
          } else {
            polls.incrementAndGet();
            send(exchange, 200, statusBody("e-1"));
          }
        });
    server.createContext(
        "/generate",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          send(exchange, 200, hybridAnswer);
        });
    server.createContext(
        "/sse/generate",
        exchange -> {
          posted.add("sse " + new String(exchange.getRequestBody().readAllBytes(), UTF_8));
          exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
          exchange.getResponseHeaders().add("X-Request-Id", "s-1");
          exchange.sendResponseHeaders(200, 0);
          exchange
              .getResponseBody()
              .write(
                  ("id: 1\nevent: token\ndata: {\"seq\":1,\"text\":\"streamed\"}\n\n"
                          + "event: complete\ndata: {\"request_id\":\"s-1\",\"usage\":"
                          + "{\"completion_tokens\":1},\"cost\":{\"total_usd\":0.0001,"
                          + "\"by_component\":{\"llm\":0.0001}}}\n\n")
                      .getBytes(UTF_8));
          exchange.close();
        });
    server.createContext(
        "/metering/costs",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          send(
              exchange,
              200,
              "{\"success\":true,\"data\":{\"costs\":{"
                  + "\"h-1\":{\"total_usd\":0.00002,\"by_component\":{\"gateway\":0.00002}},"
                  + "\"s-1\":{\"total_usd\":0.0001,\"by_component\":{\"llm\":0.0001}}}}}");
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String statusBody(String id) {
    String s = status;
    return "{\"success\":true,\"data\":{\"request_id\":\""
        + id
        + "\",\"status\":\""
        + s
        + "\",\"attempts\":"
        + attempts
        + ",\"max_attempts\":3"
        + (s.equals("completed") ? ",\"result\":" + RESULT : "")
        + (routedModel == null ? "" : ",\"routing\":{\"model\":\"" + routedModel + "\"}")
        + "}}";
  }

  private static void send(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private RuntimeHttp http() {
    return new RuntimeHttp(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"));
  }

  private static final class Recorder implements TokenListener {
    final List<String> tokens = new CopyOnWriteArrayList<>();
    final List<String> notices = new CopyOnWriteArrayList<>();

    @Override
    public void onToken(String text) {
      tokens.add(text);
    }

    @Override
    public void onNotice(String message) {
      notices.add(message);
    }
  }

  @Test
  void asyncTurnGivesALoopbackCallbackUrlAndTheWebhookDeliversTheResult() throws Exception {
    status = "retrying";
    Recorder listener = new Recorder();
    try (ChatTransport async = PollingTransport.async(http())) {
      ChatCall call = async.start(new TurnRequest("hi", List.of(), "gpt-4o-mini"), listener);
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> callbackUrl.get() != null && polls.get() >= 1);
      status = "completed";
      HttpResponse<Void> delivered =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(callbackUrl.get()))
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"type\":\"request.completed\",\"request_id\":\"a-1\"}"))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());

      TurnResult result = call.result().get(5, TimeUnit.SECONDS);

      assertEquals(204, delivered.statusCode());
      assertTrue(callbackUrl.get().startsWith("http://127.0.0.1:"), callbackUrl.get());
      assertEquals("queued answer", result.text());
      assertEquals(List.of("queued answer"), listener.tokens);
      assertEquals(List.of("retrying (attempt 2/3)"), listener.notices);
      assertEquals(0.0004, result.costByComponent().get("llm"), 1e-12);
      assertEquals(2, result.completionTokens());
    }
  }

  @Test
  void anAsyncTurnWaitingForItsWebhookReadsTheBilledStatusOnlyAsAFallback() throws Exception {
    try (ChatTransport async = PollingTransport.async(http())) {
      ChatCall call = async.start(new TurnRequest("hi", List.of(), "gpt-4o-mini"), new Recorder());
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> polls.get() >= 1);

      Awaitility.await()
          .during(Duration.ofMillis(1500))
          .atMost(Duration.ofSeconds(3))
          .until(() -> polls.get() == 1);
      call.cancel();
    }
  }

  @Test
  void aTurnWithoutAWebhookBacksOffBetweenStatusReads() throws Exception {
    try (ChatTransport events = PollingTransport.events(http())) {
      ChatCall call = events.start(new TurnRequest("hi", List.of(), "gpt-4o-mini"), new Recorder());
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> polls.get() >= 1);

      // 100, 200, 400, 800 ms apart: at most 4 more reads in 1.5 s (every 100 ms made 15)
      Awaitility.await()
          .during(Duration.ofMillis(1500))
          .atMost(Duration.ofSeconds(3))
          .until(() -> polls.get() <= 5);
      call.cancel();
    }
  }

  @Test
  void eventsTurnIsPolledWithoutACallbackUntilCompleted() throws Exception {
    status = "completed";
    Recorder listener = new Recorder();
    try (ChatTransport events = PollingTransport.events(http())) {
      TurnResult result =
          events
              .start(new TurnRequest("hi", List.of(), "gpt-4o-mini"), listener)
              .result()
              .get(5, TimeUnit.SECONDS);

      assertEquals("e-1", result.requestId());
      assertEquals("queued answer", result.text());
      assertTrue(posted.get(0).startsWith("events "), posted.toString());
      assertTrue(!posted.get(0).contains("callback_url"), posted.toString());
    }
  }

  @Test
  void everyRequestCarriesTheGatewayApiKeyWhenOneIsSet() throws Exception {
    status = "completed";
    RuntimeHttp keyed =
        new RuntimeHttp(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"),
            "k-123",
            RuntimeHttp.answerLimit(1));
    try (ChatTransport events = PollingTransport.events(keyed)) {
      events
          .start(new TurnRequest("hi", List.of(), "gpt-4o-mini"), new Recorder())
          .result()
          .get(5, TimeUnit.SECONDS);
    }

    assertTrue(apiKeys.size() >= 2, apiKeys.toString());
    assertTrue(apiKeys.stream().allMatch("k-123"::equals), apiKeys.toString());
  }

  @Test
  void hybridFollowsTheStreamUrlWithTheSameTurnAndSaysWhereItWasRouted() throws Exception {
    hybridAnswer =
        "{\"success\":true,\"data\":{\"stream_url\":\"/sse/generate\",\"routing\":"
            + "{\"pattern\":\"sse\",\"reason\":\"stream requested\"}},"
            + "\"metadata\":{\"request_id\":\"h-1\"}}";
    Recorder listener = new Recorder();
    try (ChatTransport hybrid = new HybridTransport(http())) {
      TurnResult result =
          hybrid
              .start(new TurnRequest("stream me", List.of(), "gpt-4o-mini"), listener)
              .result()
              .get(5, TimeUnit.SECONDS);

      assertEquals(List.of("routed to sse: stream requested"), listener.notices);
      assertEquals(List.of("streamed"), listener.tokens);
      assertEquals("s-1", result.requestId());
      assertTrue(
          posted.get(0).startsWith("sse ") && posted.get(0).contains("stream me"),
          posted.toString());
    }
  }

  @Test
  void aTurnTheRouterHandsOnIsBilledForTheRoutersAnswerToo() throws Exception {
    hybridAnswer =
        "{\"success\":true,\"data\":{\"stream_url\":\"/sse/generate\",\"routing\":"
            + "{\"pattern\":\"sse\",\"reason\":\"stream requested\"}},"
            + "\"metadata\":{\"request_id\":\"h-1\"}}";
    try (ChatTransport hybrid = new HybridTransport(http())) {
      TurnResult result =
          hybrid
              .start(new TurnRequest("stream me", List.of(), "gpt-4o-mini"), new Recorder())
              .result()
              .get(5, TimeUnit.SECONDS);

      assertEquals(0.00012, result.costUsd(), 1e-12);
      assertEquals(0.00002, result.costByComponent().get("gateway"), 1e-12);
      assertEquals(0.0001, result.costByComponent().get("llm"), 1e-12);
    }
  }

  @Test
  void hybridInlineAnswerIsTheReply() throws Exception {
    hybridAnswer =
        "{\"success\":true,\"data\":{\"text\":\"quick\",\"finish_reason\":\"stop\",\"routing\":"
            + "{\"pattern\":\"sync\",\"reason\":\"quick request\"}},\"metadata\":{\"request_id\":"
            + "\"h-2\",\"usage\":{\"completion_tokens\":1},\"cost\":{\"total_usd\":0.0002,"
            + "\"by_component\":{\"gateway\":0.0002}}}}";
    Recorder listener = new Recorder();
    try (ChatTransport hybrid = new HybridTransport(http())) {
      TurnResult result =
          hybrid
              .start(new TurnRequest("hi", List.of(), "gpt-4o-mini"), listener)
              .result()
              .get(5, TimeUnit.SECONDS);

      assertEquals("quick", result.text());
      assertEquals("h-2", result.requestId());
      assertEquals(List.of("routed to sync: quick request"), listener.notices);
      assertEquals(0.0002, result.costUsd(), 1e-12);
    }
  }

  @Test
  void anEventsTurnNamesTheModelTheBusProcessorAnsweredWith() throws Exception {
    status = "completed";
    routedModel = "gpt-4o-mini";
    try (ChatTransport events = PollingTransport.events(http())) {
      TurnResult result =
          events
              .start(new TurnRequest("hi", List.of(), "instant"), new Recorder())
              .result()
              .get(5, TimeUnit.SECONDS);

      assertEquals("gpt-4o-mini", result.answeredBy());
    }
  }

  @Test
  void eachRetryIsAnnouncedOnce() throws Exception {
    status = "retrying";
    Recorder listener = new Recorder();
    try (ChatTransport events = PollingTransport.events(http())) {
      ChatCall call = events.start(new TurnRequest("hi", List.of(), "gpt-4o-mini"), listener);
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> listener.notices.size() == 1);
      int seen = polls.get();
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> polls.get() > seen);
      attempts = 3;
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> listener.notices.size() == 2);
      status = "completed";
      call.result().get(5, TimeUnit.SECONDS);

      assertEquals(List.of("retrying (attempt 2/3)", "retrying (attempt 3/3)"), listener.notices);
    }
  }
}
