package io.promptway.patterns.websocket;

import static io.promptway.patterns.websocket.ChatClient.type;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.patterns.RunningRuntime;
import io.promptway.patterns.StreamingRuntimes;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.store.RequestStatus;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WebSocketPatternAcceptanceTest {
  private static RunningRuntime runtime;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    runtime = StreamingRuntimes.start(Map.of());
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() {
    http.close();
    runtime.close();
  }

  private ChatClient connect() {
    return new ChatClient(http, runtime.baseUri());
  }

  private static String generate(String prompt, String model, String extra) {
    return "{\"action\":\"generate\",\"prompt\":\""
        + prompt
        + "\",\"model\":\""
        + model
        + "\""
        + extra
        + "}";
  }

  private static double metered(String id, BillableUnit unit) {
    return runtime.platform().meter().records(id).stream()
        .filter(r -> r.unit() == unit)
        .mapToDouble(r -> r.quantity())
        .sum();
  }

  /** The connection a generation ran on, from the note its trail starts with. */
  static String connectionOf(String requestId) {
    return runtime.platform().store().trail(requestId).stream()
        .map(t -> t.detail() == null ? "" : t.detail())
        .filter(d -> d.startsWith("on connection conn_"))
        .map(d -> d.substring("on connection ".length(), d.indexOf(',')))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no connection in the trail of " + requestId));
  }

  private static RequestStatus awaitTerminal(String requestId) {
    var store = runtime.platform().store();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> store.find(requestId).orElseThrow().status().terminal());
    return store.find(requestId).orElseThrow().status();
  }

  @Test
  void acceptsThenStreamsTokensInOrderThenCompletesWithUsageAndCost() throws Exception {
    try (ChatClient c = connect()) {
      c.send(generate("Hello there", StreamingRuntimes.STEADY, ",\"client_ref\":\"m1\""));
      JsonNode accepted = c.next(5);
      assertEquals("accepted", accepted.get("type").asText());
      assertEquals("m1", accepted.get("client_ref").asText());
      String requestId = accepted.get("request_id").asText();
      assertTrue(accepted.get("conversation_id").asText().startsWith("conv_"));

      List<JsonNode> rest = c.until(type("complete"), 20);

      List<JsonNode> tokens = rest.stream().filter(type("token")).toList();
      assertEquals(StreamingRuntimes.TOKENS, tokens.size());
      for (int i = 0; i < tokens.size(); i++) {
        assertEquals(i + 1, tokens.get(i).get("seq").asInt());
        assertEquals(requestId, tokens.get(i).get("request_id").asText());
        if (i > 0) {
          assertEquals(
              10.0,
              tokens.get(i).get("at_ms").asDouble() - tokens.get(i - 1).get("at_ms").asDouble(),
              1e-6,
              "the model's gap before token " + (i + 1));
        }
      }
      JsonNode complete = rest.getLast();
      assertTrue(
          tokens.getLast().get("at_ms").asDouble() <= complete.get("latency_ms").asDouble(),
          "the last token emitted before complete");
      assertEquals(StreamingRuntimes.TOKENS, complete.at("/usage/completion_tokens").asInt());
      assertTrue(complete.at("/cost/by_component/gateway").asDouble() > 0);
      assertTrue(complete.at("/cost/by_component/function").asDouble() > 0);
      assertEquals(RequestStatus.COMPLETED, awaitTerminal(requestId));
      assertEquals(
          1 + StreamingRuntimes.TOKENS + 1 + 1,
          metered(requestId, BillableUnit.WEBSOCKET_MESSAGE),
          "generate in; accepted, 200 tokens and complete out");
    }
  }

  @Test
  void cancelStopsTokensAtOnceAndTheBillStopsToo() throws Exception {
    try (ChatClient c = connect()) {
      c.send(generate("Write a long essay", StreamingRuntimes.STEADY, ""));
      String requestId = c.next(5).get("request_id").asText();
      List<JsonNode> before = c.until(m -> m.path("seq").asInt() == 20, 10);
      long sent = System.nanoTime();
      c.send("{\"action\":\"cancel\",\"request_id\":\"" + requestId + "\"}");

      List<JsonNode> after;
      try {
        after = c.until(type("cancelled"), 15);
      } catch (AssertionError e) {
        throw new AssertionError(
            e.getMessage() + "; lifecycle: " + runtime.platform().store().trail(requestId), e);
      }
      long cancelMs = (System.nanoTime() - sent) / 1_000_000;
      double billedWhenCancelledArrived = metered(requestId, BillableUnit.WEBSOCKET_MESSAGE);
      long tokensOut = Stream.concat(before.stream(), after.stream()).filter(type("token")).count();
      assertTrue(
          billedWhenCancelledArrived >= 3 + tokensOut,
          billedWhenCancelledArrived
              + " messages billed when cancelled arrived, fewer than generate, accepted, the "
              + tokensOut
              + " tokens and cancelled: they are billed before cancelled is sent, so a client"
              + " reading the cost then reads the whole bill");

      // Measured from when the runtime received the cancel (the client's own send may be delayed
      // on a busy machine): at most the token already on its way may follow.
      long receivedAfter =
          runtime.platform().store().trail(requestId).stream()
              .map(t -> t.detail())
              .filter(d -> d != null && d.startsWith("cancel received after "))
              .mapToLong(d -> Long.parseLong(d.split(" ")[3]))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no cancel in the lifecycle"));
      long late =
          after.stream()
              .filter(type("token"))
              .filter(m -> m.get("seq").asLong() > receivedAfter)
              .count();
      assertTrue(
          late <= 1,
          late
              + " tokens after the runtime received the cancel (at token "
              + receivedAfter
              + "; cancelled message "
              + cancelMs
              + " ms after the client sent it)");
      JsonNode next = c.messages.poll(300, TimeUnit.MILLISECONDS);
      assertNull(next, "nothing after cancelled, got " + next);
      assertEquals(RequestStatus.CANCELLED, awaitTerminal(requestId));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> metered(requestId, BillableUnit.LLM_OUTPUT_TOKEN) > 0);
      double output = metered(requestId, BillableUnit.LLM_OUTPUT_TOKEN);
      assertTrue(
          output >= 20 && output < StreamingRuntimes.TOKENS / 2,
          "output tokens metered "
              + output
              + " stop near the cancel (after 20), far below a full run of "
              + StreamingRuntimes.TOKENS);
      assertTrue(before.size() >= 20);
    }
  }

  @Test
  void conversationKeepsItsContextAcrossTurnsAndAcrossAReconnect() throws Exception {
    int[] promptTokens = new int[4];
    String conversation;
    try (ChatClient c = connect()) {
      c.send(generate("My name is Ada.", StreamingRuntimes.STEADY, ",\"max_tokens\":20"));
      conversation = c.next(5).get("conversation_id").asText();
      promptTokens[0] = c.until(type("complete"), 10).getLast().at("/usage/prompt_tokens").asInt();
      for (int turn = 1; turn < 3; turn++) {
        c.send(generate("And then?", StreamingRuntimes.STEADY, ",\"max_tokens\":20"));
        assertEquals(
            conversation,
            c.next(5).get("conversation_id").asText(),
            "same conversation on the connection");
        promptTokens[turn] =
            c.until(type("complete"), 10).getLast().at("/usage/prompt_tokens").asInt();
      }
    }
    try (ChatClient again = connect()) {
      again.send(
          generate(
              "What is my name?",
              StreamingRuntimes.STEADY,
              ",\"max_tokens\":20,\"conversation_id\":\"" + conversation + "\""));
      assertEquals(conversation, again.next(5).get("conversation_id").asText());
      promptTokens[3] =
          again.until(type("complete"), 10).getLast().at("/usage/prompt_tokens").asInt();
    }
    for (int i = 1; i < 4; i++) {
      assertTrue(
          promptTokens[i] > promptTokens[i - 1] + 20,
          "turn " + (i + 1) + " carries the earlier turns: " + Arrays.toString(promptTokens));
    }
    assertEquals(
        8,
        runtime.platform().database() != null ? turnCount(conversation) : -1,
        "four user turns and four replies");
  }

  private static int turnCount(String conversation) {
    return runtime.patterns().stream()
        .filter(p -> p instanceof WebSocketPattern)
        .map(p -> ((WebSocketPattern) p).conversations().turnCount(conversation))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void oversizedMessageGetsAnErrorAndTheConnectionKeepsWorking() throws Exception {
    try (ChatClient c = connect()) {
      c.send(generate("x".repeat(140 * 1024), StreamingRuntimes.STEADY, ""));
      JsonNode error = c.next(5);
      assertEquals("error", error.get("type").asText());
      assertEquals("MESSAGE_TOO_LARGE", error.get("code").asText());

      c.send(generate("Short one", StreamingRuntimes.STEADY, ",\"max_tokens\":5"));
      assertEquals("accepted", c.next(5).get("type").asText());
      assertEquals(
          5, c.until(type("complete"), 10).getLast().at("/usage/completion_tokens").asInt());
      assertFalse(c.closed.isDone());
    }
  }

  @Test
  void invalidMessagesGetErrorsNamingTheProblem() throws Exception {
    try (ChatClient c = connect()) {
      c.send("not json");
      assertEquals("MALFORMED_JSON", c.next(5).get("code").asText());
      c.send("{\"action\":\"dance\"}");
      assertEquals("VALIDATION_ERROR", c.next(5).get("code").asText());
      c.send("{\"action\":\"generate\",\"model\":\"gpt-4o\",\"client_ref\":\"r9\"}");
      JsonNode e = c.next(5);
      assertEquals("VALIDATION_ERROR", e.get("code").asText());
      assertEquals("r9", e.get("client_ref").asText());
      assertTrue(e.get("message").asText().startsWith("prompt"));
      c.send("{\"action\":\"cancel\",\"request_id\":\"req_unknown\"}");
      assertEquals("NOT_FOUND", c.next(5).get("code").asText());
    }
  }

  @Test
  void droppedConnectionStopsItsGenerationAndIsRecordedAndBilled() throws Exception {
    String requestId;
    String connectionId;
    ChatClient c = connect();
    c.send(generate("Keep talking", StreamingRuntimes.STEADY, ""));
    requestId = c.next(5).get("request_id").asText();
    c.until(m -> m.path("seq").asInt() == 10, 10);
    c.ws.abort();

    assertEquals(RequestStatus.CANCELLED, awaitTerminal(requestId));
    var trail = runtime.platform().store().trail(requestId);
    assertTrue(
        trail.stream().anyMatch(t -> t.to() == RequestStatus.CLIENT_DISCONNECTED),
        trail.toString());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> metered(requestId, BillableUnit.LLM_OUTPUT_TOKEN) > 0);
    assertTrue(metered(requestId, BillableUnit.LLM_OUTPUT_TOKEN) < StreamingRuntimes.TOKENS / 2);
    connectionId = connectionOf(requestId);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> metered(connectionId, BillableUnit.WEBSOCKET_CONNECTION_MINUTE) == 1.0);
    assertEquals(
        2.0,
        metered(connectionId, BillableUnit.FUNCTION_REQUEST),
        "$connect and $disconnect handlers");
  }

  @Test
  void aConnectionDroppedWhileIdleIsShutDownAndBilledWithoutWaitingForTheIdleTimeout()
      throws Exception {
    ChatClient c = connect();
    c.send(generate("Short one", StreamingRuntimes.STEADY, ",\"max_tokens\":3"));
    String requestId = c.next(5).get("request_id").asText();
    c.until(type("complete"), 10);
    String connectionId = connectionOf(requestId);
    assertEquals(
        0.0, metered(connectionId, BillableUnit.WEBSOCKET_CONNECTION_MINUTE), "still open");

    c.ws.abort(); // no close frame, and nothing being sent that could fail

    // the $disconnect bill is written when the connection is shut down; the idle timeout is 10 min
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> metered(connectionId, BillableUnit.WEBSOCKET_CONNECTION_MINUTE) == 1.0);
    assertEquals(
        2.0,
        metered(connectionId, BillableUnit.FUNCTION_REQUEST),
        "$connect and $disconnect handlers");
  }

  @Test
  void aPingGetsAPongWithItsPayload() throws Exception {
    try (ChatClient c = connect()) {
      c.ws.sendPing(ByteBuffer.wrap("are you there".getBytes(StandardCharsets.UTF_8))).join();
      assertEquals("are you there", c.pongs.poll(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void aBinaryMessageGetsAnErrorAndTheConnectionKeepsWorking() throws Exception {
    try (ChatClient c = connect()) {
      byte[] action = generate("Hi", StreamingRuntimes.STEADY, "").getBytes(StandardCharsets.UTF_8);
      c.ws.sendBinary(ByteBuffer.wrap(action), true).join();
      JsonNode error = c.next(5);
      assertEquals("UNSUPPORTED_MESSAGE", error.get("code").asText(), error.toString());

      c.send(generate("Short one", StreamingRuntimes.STEADY, ",\"max_tokens\":2"));
      assertEquals("accepted", c.next(5).get("type").asText());
      c.until(type("complete"), 10);
    }
  }

  @Test
  void aPlainGetOfTheChatRouteIsToldToUpgrade() throws Exception {
    var res =
        http.send(
            HttpRequest.newBuilder(runtime.baseUri().resolve(WebSocketPattern.PATH)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(426, res.statusCode(), res.body());
    assertEquals("websocket", res.headers().firstValue("Upgrade").orElse(null));
    JsonNode error = Json.mapper().readTree(res.body()).get("error");
    assertEquals("UPGRADE_REQUIRED", error.get("code").asText());
    assertEquals("Upgrade", error.at("/details/field").asText());
  }
}
