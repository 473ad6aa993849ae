package io.promptway.patterns.sse;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.patterns.RunningRuntime;
import io.promptway.patterns.StreamingRuntimes;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.store.RequestStatus;
import io.promptway.runtime.store.StatusTransition;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SsePatternAcceptanceTest {
  private static RunningRuntime runtime;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    runtime = StreamingRuntimes.start(Map.of());
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  @AfterAll
  static void stop() {
    http.close();
    runtime.close();
  }

  /** What a client read from one connection. */
  record Read(
      List<SseEventReader.Received> tokens,
      SseEventReader.Received terminal,
      int comments,
      Long retry) {
    List<Long> ids() {
      return tokens.stream().map(t -> Long.parseLong(t.id())).toList();
    }
  }

  private HttpResponse<InputStream> post(String model) throws Exception {
    return post(http, model);
  }

  private HttpResponse<InputStream> post(HttpClient client, String model) throws Exception {
    String body = "{\"prompt\":\"Tell me a story\",\"model\":\"" + model + "\"}";
    return client.send(
        HttpRequest.newBuilder(runtime.baseUri().resolve("sse/generate"))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofInputStream());
  }

  private HttpResponse<InputStream> resume(String requestId, String lastEventId) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(runtime.baseUri().resolve("sse/streams/" + requestId))
            .timeout(Duration.ofSeconds(20))
            .GET();
    if (lastEventId != null) b.header("Last-Event-ID", lastEventId);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  /**
   * Reads until the terminal event, or until {@code maxTokens} tokens (then drops the connection).
   */
  private static Read read(InputStream body, int maxTokens) throws Exception {
    List<SseEventReader.Received> tokens = new ArrayList<>();
    int comments = 0;
    Long retry = null;
    SseEventReader reader = new SseEventReader(body);
    SseEventReader.Received e;
    while ((e = reader.next()) != null) {
      if (e.isComment()) {
        comments++;
      } else if (e.isRetry()) {
        retry = e.retryMillis();
      } else if ("token".equals(e.event())) {
        tokens.add(e);
        if (tokens.size() == maxTokens) {
          reader.close();
          return new Read(tokens, null, comments, retry);
        }
      } else {
        reader.close();
        return new Read(tokens, e, comments, retry);
      }
    }
    return new Read(tokens, null, comments, retry);
  }

  private static List<Long> range(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long i = from; i <= to; i++) out.add(i);
    return out;
  }

  private static RequestStatus awaitTerminal(String requestId) {
    var store = runtime.platform().store();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> store.find(requestId).orElseThrow().status().terminal());
    return store.find(requestId).orElseThrow().status();
  }

  private static double metered(String requestId, BillableUnit unit) {
    return runtime.platform().meter().records(requestId).stream()
        .filter(r -> r.unit() == unit)
        .mapToDouble(r -> r.quantity())
        .sum();
  }

  @Test
  void streamsEveryTokenWithSequenceIdsThenACompleteEventWithUsageAndCost() throws Exception {
    HttpResponse<InputStream> res = post(StreamingRuntimes.STEADY);
    assertEquals(200, res.statusCode());
    assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    String requestId = res.headers().firstValue("X-Request-Id").orElseThrow();

    Read read = read(res.body(), Integer.MAX_VALUE);

    assertEquals(3000L, read.retry(), "retry advice in real milliseconds at time scale 1");
    assertEquals(range(1, StreamingRuntimes.TOKENS), read.ids());
    double emittedAt = 0;
    for (SseEventReader.Received t : read.tokens()) {
      JsonNode data = Json.mapper().readTree(t.data());
      assertEquals(Long.parseLong(t.id()), data.get("seq").asLong());
      assertTrue(data.get("text").isTextual());
      double at = data.get("at_ms").asDouble();
      if (data.get("seq").asLong() == 1) assertTrue(at >= 20.0, "after the 20 ms ttft: " + at);
      else assertEquals(10.0, at - emittedAt, 1e-6, "the model's gap before token " + t.id());
      emittedAt = at;
    }
    assertEquals("complete", read.terminal().event());
    JsonNode complete = Json.mapper().readTree(read.terminal().data());
    assertTrue(emittedAt <= complete.get("latency_ms").asDouble(), "last token before complete");
    assertEquals(requestId, complete.get("request_id").asText());
    assertEquals(StreamingRuntimes.TOKENS, complete.at("/usage/completion_tokens").asInt());
    assertTrue(complete.at("/cost/total_usd").asDouble() > 0);
    assertTrue(
        complete.at("/cost/by_component/function").asDouble() > 0,
        "function billed before complete");
    assertTrue(
        complete.at("/cost/by_component/gateway").asDouble() > 0,
        "the gateway request billed as it arrived: " + complete);
    assertTrue(complete.get("latency_ms").asDouble() >= 200 * 10 * 0.9);
    assertEquals(RequestStatus.COMPLETED, awaitTerminal(requestId));
    assertEquals(1.0, metered(requestId, BillableUnit.REST_API_REQUEST));
  }

  @Test
  void sendsStatusAndHeadersWellBeforeTheFirstTokenOfASlowStartingModel() throws Exception {
    long start = System.nanoTime();
    HttpResponse<InputStream> res = post(StreamingRuntimes.SLOW_START);
    long headersMs = (System.nanoTime() - start) / 1_000_000;
    SseEventReader reader = new SseEventReader(res.body());
    SseEventReader.Received e;
    int comments = 0;
    while ((e = reader.next()) != null && !"token".equals(e.event())) {
      if (e.isComment()) comments++;
    }
    long firstTokenMs = (System.nanoTime() - start) / 1_000_000;
    reader.close();

    assertNotNull(e, "a token arrived");
    assertTrue(
        firstTokenMs >= 550, "the model's time to first token is 600 ms, got " + firstTokenMs);
    assertTrue(
        headersMs < firstTokenMs - 300,
        "headers after "
            + headersMs
            + " ms must arrive well before the first token at "
            + firstTokenMs
            + " ms");
    assertTrue(comments >= 1, "comment heartbeats while the model is silent");
  }

  @Test
  void droppedStreamResumesWithLastEventIdWithNoGapAndNoDuplicateWhileGenerating()
      throws Exception {
    HttpResponse<InputStream> res = post(StreamingRuntimes.STEADY);
    String requestId = res.headers().firstValue("X-Request-Id").orElseThrow();
    Read first = read(res.body(), 25);
    assertEquals(range(1, 25), first.ids());

    Read rest = read(resume(requestId, "25").body(), Integer.MAX_VALUE);

    List<Long> all = new ArrayList<>(first.ids());
    all.addAll(rest.ids());
    assertEquals(range(1, StreamingRuntimes.TOKENS), all, "no gap, no duplicate");
    assertEquals("complete", rest.terminal().event());
    assertEquals(StreamingRuntimes.TOKENS + 1, Long.parseLong(rest.terminal().id()));
  }

  @Test
  void clientThatGoesAwayIsRecordedAndTheStreamRunsToCompletionAndIsBilledThenResumesAfterTheEnd()
      throws Exception {
    Read first;
    String requestId;
    // A client of its own, shut down after ten tokens: its connection really closes.
    try (HttpClient leaving =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      HttpResponse<InputStream> res = post(leaving, StreamingRuntimes.STEADY);
      requestId = res.headers().firstValue("X-Request-Id").orElseThrow();
      first = read(res.body(), 10);
      leaving.shutdownNow();
    }

    assertEquals(RequestStatus.COMPLETED, awaitTerminal(requestId));
    List<StatusTransition> trail = runtime.platform().store().trail(requestId);
    assertTrue(
        trail.stream().anyMatch(t -> t.to() == RequestStatus.CLIENT_DISCONNECTED),
        "CLIENT_DISCONNECTED in the lifecycle: " + trail);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> metered(requestId, BillableUnit.LLM_OUTPUT_TOKEN) == StreamingRuntimes.TOKENS);
    assertTrue(metered(requestId, BillableUnit.FUNCTION_GB_SECOND) > 0);

    Read rest = read(resume(requestId, first.tokens().getLast().id()).body(), Integer.MAX_VALUE);
    assertEquals(range(11, StreamingRuntimes.TOKENS), rest.ids(), "replayed from the retained log");
    assertEquals("complete", rest.terminal().event());
    // billed once the resumed response has ended, which may be just after its last event arrives
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> metered(requestId, BillableUnit.REST_API_REQUEST) >= 2.0);
    assertEquals(
        2.0,
        metered(requestId, BillableUnit.REST_API_REQUEST),
        "the resume is a second API request");
  }

  @Test
  void resumeWithoutLastEventIdReplaysTheWholeStream() throws Exception {
    HttpResponse<InputStream> res = post(StreamingRuntimes.STEADY);
    String requestId = res.headers().firstValue("X-Request-Id").orElseThrow();
    read(res.body(), 1);

    Read all = read(resume(requestId, null).body(), Integer.MAX_VALUE);

    assertEquals(range(1, StreamingRuntimes.TOKENS), all.ids());
  }

  @Test
  void unknownStreamIsNotFoundAndAnImpossibleLastEventIdIsABadRequest() throws Exception {
    HttpResponse<InputStream> missing = resume("req_nope", "3");
    assertEquals(404, missing.statusCode());
    assertEquals(
        "STREAM_NOT_FOUND",
        Json.mapper().readTree(missing.body().readAllBytes()).at("/error/code").asText());

    HttpResponse<InputStream> res = post(StreamingRuntimes.STEADY);
    String requestId = res.headers().firstValue("X-Request-Id").orElseThrow();
    read(res.body(), Integer.MAX_VALUE);
    HttpResponse<InputStream> ahead = resume(requestId, "9999");
    assertEquals(400, ahead.statusCode());
    assertTrue(
        Json.mapper()
            .readTree(ahead.body().readAllBytes())
            .at("/error/message")
            .asText()
            .contains("Last-Event-ID"));
    HttpResponse<InputStream> garbage = resume(requestId, "abc");
    assertEquals(400, garbage.statusCode());
    garbage.body().close();
  }

  @Test
  void invalidRequestIsAJsonErrorNotAStream() throws Exception {
    HttpResponse<String> res =
        http.send(
            HttpRequest.newBuilder(runtime.baseUri().resolve("sse/generate"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(400, res.statusCode());
    assertEquals("prompt", Json.mapper().readTree(res.body()).at("/error/details/field").asText());
  }

  static URI base() {
    return runtime.baseUri();
  }
}
