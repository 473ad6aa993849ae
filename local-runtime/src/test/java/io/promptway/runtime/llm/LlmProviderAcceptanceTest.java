package io.promptway.runtime.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.runtime.gateway.ChatMessage;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.metering.BillableUnit;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LlmProviderAcceptanceTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static ProviderFixture provider;

  @BeforeAll
  static void start() {
    // time scale 50: a 450 ms ttft takes 9 ms of real time
    ModelProfile paced =
        new ModelProfile(
            LatencyDistribution.fixed(Duration.ZERO),
            LatencyDistribution.fixed(Duration.ofMillis(250)), // 5 ms real at scale 50
            new TokenCountDistribution(2000, 2000),
            4,
            128_000,
            FaultRates.NONE);
    ModelProfile tiny =
        new ModelProfile(
            LatencyDistribution.fixed(Duration.ZERO),
            LatencyDistribution.fixed(Duration.ZERO),
            new TokenCountDistribution(5, 5),
            4,
            10,
            FaultRates.NONE);
    ModelProfile flaky =
        new ModelProfile(
            LatencyDistribution.fixed(Duration.ZERO),
            LatencyDistribution.fixed(Duration.ZERO),
            new TokenCountDistribution(5, 5),
            4,
            128_000,
            new FaultRates(0.5, 0, 0, 0, 0, Duration.ofSeconds(1), Duration.ofSeconds(1)));
    provider =
        new ProviderFixture(
            50, Map.of("paced", paced, "tiny", tiny, "flaky", flaky), Optional.empty());
  }

  @AfterAll
  static void stop() {
    provider.close();
  }

  private static HttpResponse<String> post(String body, Map<String, String> headers)
      throws Exception {
    var b =
        HttpRequest.newBuilder(provider.base().resolve("chat/completions"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(provider.base().resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String chat(String model, String prompt, int maxTokens, boolean stream) {
    return "{\"model\":\""
        + model
        + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
        + prompt
        + "\"}],\"max_tokens\":"
        + maxTokens
        + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "")
        + "}";
  }

  /** {@code body} with {@code field} added at its end. */
  private static String with(String body, String field) {
    return body.substring(0, body.lastIndexOf('}')) + "," + field + "}";
  }

  @Test
  void answersAChatCompletionInTheOpenAiShape() throws Exception {
    HttpResponse<String> r = post(chat("gpt-4o-mini", "hello", 12, false), Map.of());
    assertEquals(200, r.statusCode());
    JsonNode body = Json.mapper().readTree(r.body());
    assertEquals("chat.completion", body.get("object").asText());
    assertEquals("assistant", body.at("/choices/0/message/role").asText());
    assertFalse(body.at("/choices/0/message/content").asText().isBlank());
    assertEquals(12, body.at("/usage/completion_tokens").asInt());
    assertEquals(
        body.at("/usage/prompt_tokens").asInt() + 12, body.at("/usage/total_tokens").asInt());
  }

  @Test
  void streamsChunksThenUsageThenDone() throws Exception {
    HttpResponse<String> r = post(chat("gpt-4o-mini", "stream me", 8, true), Map.of());
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    List<String> data = new ArrayList<>();
    for (String line : r.body().split("\n"))
      if (line.startsWith("data: ")) data.add(line.substring(6));
    assertEquals("[DONE]", data.get(data.size() - 1));
    JsonNode usage = Json.mapper().readTree(data.get(data.size() - 2));
    assertEquals(8, usage.at("/usage/completion_tokens").asInt());
    StringBuilder text = new StringBuilder();
    int contentChunks = 0;
    for (String d : data.subList(0, data.size() - 2)) {
      JsonNode chunk = Json.mapper().readTree(d);
      assertEquals("chat.completion.chunk", chunk.get("object").asText());
      String c = chunk.at("/choices/0/delta/content").asText("");
      if (!c.isEmpty()) contentChunks++;
      text.append(c);
    }
    assertEquals(8, contentChunks);
    HttpResponse<String> plain = post(chat("gpt-4o-mini", "stream me", 8, false), Map.of());
    assertEquals(
        Json.mapper().readTree(plain.body()).at("/choices/0/message/content").asText(),
        text.toString(),
        "streamed and plain answers to the same request are the same text");
  }

  @Test
  void theSameRequestGetsTheSameAnswer() throws Exception {
    String a =
        Json.mapper()
            .readTree(post(chat("gpt-4o", "determinism", 30, false), Map.of()).body())
            .at("/choices/0/message/content")
            .asText();
    String b =
        Json.mapper()
            .readTree(post(chat("gpt-4o", "determinism", 30, false), Map.of()).body())
            .at("/choices/0/message/content")
            .asText();
    assertEquals(a, b);
  }

  @Test
  void theCallersSeedPicksTheAnswerAndEveryCompletionHasItsOwnId() throws Exception {
    String base = chat("gpt-4o", "determinism", 30, false);
    JsonNode seven =
        Json.mapper().readTree(post(base.replace("}", ",\"seed\":7}"), Map.of()).body());
    JsonNode again =
        Json.mapper().readTree(post(base.replace("}", ",\"seed\":7}"), Map.of()).body());
    JsonNode eight =
        Json.mapper().readTree(post(base.replace("}", ",\"seed\":8}"), Map.of()).body());
    String text = "/choices/0/message/content";
    assertEquals(seven.at(text).asText(), again.at(text).asText(), "same seed, same answer");
    assertNotEquals(
        seven.at(text).asText(), eight.at(text).asText(), "another seed, another answer");
    assertNotEquals(seven.path("id").asText(), again.path("id").asText(), "ids are per completion");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"temperature\":\"hot\"",
        "\"temperature\":2.5",
        "\"max_tokens\":3.5",
        "\"stream\":\"yes\"",
        "\"n\":3",
        "\"seed\":\"x\"",
        "\"stream_options\":{\"include_usage\":1}",
        "\"top_p\":\"x\"",
        "\"presence_penalty\":\"x\"",
        "\"frequency_penalty\":3",
        "\"stop\":5",
        "\"tools\":\"x\"",
        "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]",
        "\"tool_choice\":\"required\"",
        "\"functions\":[{\"name\":\"f\"}]",
        "\"function_call\":\"auto\"",
        "\"response_format\":5",
        "\"response_format\":{\"type\":\"json_object\"}",
        "\"logprobs\":\"maybe\"",
        "\"logprobs\":true",
        "\"top_logprobs\":2"
      })
  void aMistypedOrUnsupportedFieldIsAn400NamingIt(String field) throws Exception {
    String body =
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
            + field
            + "}";
    HttpResponse<String> r = post(body, Map.of());
    assertEquals(400, r.statusCode(), r.body());
    String named = field.substring(1, field.indexOf('"', 1));
    assertTrue(
        Json.mapper().readTree(r.body()).at("/error/param").asText().startsWith(named), r.body());
  }

  @Test
  void aPlainClientsRetryOfTheSameRequestDrawsItsFaultAfreshAndGetsTheSameAnswer()
      throws Exception {
    List<Integer> statuses = new ArrayList<>();
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      HttpResponse<String> r = post(chat("flaky", "retry me", 5, false), Map.of());
      statuses.add(r.statusCode());
      if (r.statusCode() == 200)
        answers.add(Json.mapper().readTree(r.body()).at("/choices/0/message/content").asText());
    }
    assertTrue(statuses.contains(429) && statuses.contains(200), statuses.toString());
    assertEquals(1, answers.stream().distinct().count(), answers.toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"tools\":[]",
        "\"tool_choice\":\"none\"",
        "\"response_format\":{\"type\":\"text\"}",
        "\"logprobs\":false",
        "\"stop\":null"
      })
  void aFieldThatAsksForNothingUnmodelledIsAccepted(String field) throws Exception {
    String body =
        "{\"model\":\"gpt-4o-mini\",\"max_tokens\":3,\"messages\":[{\"role\":\"developer\","
            + "\"content\":\"x\"},{\"role\":\"tool\",\"content\":\"y\"}],"
            + field
            + "}";
    HttpResponse<String> r = post(body, Map.of());
    assertEquals(200, r.statusCode(), r.body());
  }

  @Test
  void aRoleOpenAiDoesNotKnowIsA400NamingTheMessage() throws Exception {
    HttpResponse<String> r =
        post(
            "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"},"
                + "{\"role\":\"wizard\",\"content\":\"y\"}]}",
            Map.of());
    assertEquals(400, r.statusCode(), r.body());
    assertEquals(
        "messages[1].role", Json.mapper().readTree(r.body()).at("/error/param").asText(), r.body());
  }

  @Test
  void stopCutsTheAnswerAtTheFirstMatchStreamedOrNotAndBillsOnlyTheTokensKept() throws Exception {
    String full = chat("gpt-4o-mini", "stop me", 200, false);
    String withStop = with(full, "\"stop\":[\" the\",\" a\"]");
    JsonNode whole = Json.mapper().readTree(post(full, Map.of()).body());
    JsonNode plain = Json.mapper().readTree(post(withStop, Map.of()).body());
    String text = plain.at("/choices/0/message/content").asText();
    String uncut = whole.at("/choices/0/message/content").asText();
    assertFalse(text.contains(" the") || text.contains(" a"), text);
    assertTrue(uncut.startsWith(text) && uncut.length() > text.length(), uncut);
    assertEquals("stop", plain.at("/choices/0/finish_reason").asText());
    int kept = plain.at("/usage/completion_tokens").asInt();
    assertTrue(kept < whole.at("/usage/completion_tokens").asInt(), plain.toString());

    String streamed = with(withStop, "\"stream\":true,\"stream_options\":{\"include_usage\":true}");
    List<String> data = new ArrayList<>();
    for (String line : post(streamed, Map.of()).body().split("\n"))
      if (line.startsWith("data: ")) data.add(line.substring(6));
    StringBuilder chunks = new StringBuilder();
    String finish = null;
    for (String d : data.subList(0, data.size() - 2)) {
      JsonNode chunk = Json.mapper().readTree(d);
      chunks.append(chunk.at("/choices/0/delta/content").asText(""));
      if (chunk.at("/choices/0/finish_reason").isTextual())
        finish = chunk.at("/choices/0/finish_reason").asText();
    }
    assertEquals(text, chunks.toString());
    assertEquals("stop", finish);
    assertEquals(
        kept,
        Json.mapper().readTree(data.get(data.size() - 2)).at("/usage/completion_tokens").asInt());
  }

  @Test
  void forcedRateLimitAnswers429WithRetryAfter() throws Exception {
    HttpResponse<String> r =
        post(chat("gpt-4o-mini", "x", 5, false), Map.of(Fault.HEADER, "rate_limit"));
    assertEquals(429, r.statusCode());
    assertTrue(r.headers().firstValue("Retry-After").isPresent());
    assertEquals(
        "rate_limit_exceeded", Json.mapper().readTree(r.body()).at("/error/type").asText());
  }

  @Test
  void forcedServerErrorsAnswer500And503() throws Exception {
    assertEquals(
        500,
        post(chat("gpt-4o-mini", "x", 5, false), Map.of(Fault.HEADER, "server_error"))
            .statusCode());
    assertEquals(
        503,
        post(chat("gpt-4o-mini", "x", 5, false), Map.of(Fault.HEADER, "unavailable")).statusCode());
  }

  @Test
  void aDroppedStreamEndsWithoutDone() throws Exception {
    HttpResponse<String> r = post(chat("gpt-4o-mini", "x", 20, true), Map.of(Fault.HEADER, "drop"));
    assertEquals(200, r.statusCode());
    assertFalse(r.body().contains("[DONE]"));
    LlmClient client = new LlmClient(provider::base);
    var e =
        assertThrows(
            LlmCallException.class,
            () ->
                client.stream(call("x", 20, "drop"), (t, at) -> {}, new LlmClient.Cancellation()));
    assertTrue(e.retryable());
    assertEquals("STREAM_DROPPED", e.code());
  }

  @Test
  void aStallDelaysTheStreamByTheStallDuration() throws Exception {
    LlmClient client = new LlmClient(provider::base);
    long start = System.nanoTime();
    client.stream(call("stall please", 10, "stall"), (t, at) -> {}, new LlmClient.Cancellation());
    long realMs = (System.nanoTime() - start) / 1_000_000;
    // the default stall is 10 s simulated = 200 ms real at time scale 50
    assertTrue(realMs >= 190, "stalled for " + realMs + " ms real");
  }

  @Test
  void unknownModelAndBadBodiesAreOpenAiErrors() throws Exception {
    assertEquals(404, post(chat("gpt-99", "x", 5, false), Map.of()).statusCode());
    assertEquals(400, post("{not json", Map.of()).statusCode());
    assertEquals(400, post("{\"model\":\"gpt-4o\"}", Map.of()).statusCode());
    assertEquals(
        400,
        post(chat("gpt-4o-mini", "x", 5, false), Map.of(Fault.HEADER, "gremlins")).statusCode());
  }

  @Test
  void errorBodiesHaveOpenAisShapeWithParamNullAndModelNotFoundAsItsCode() throws Exception {
    JsonNode limited =
        Json.mapper()
            .readTree(
                post(chat("gpt-4o-mini", "x", 5, false), Map.of(Fault.HEADER, "rate_limit")).body())
            .get("error");
    assertTrue(limited.has("param") && limited.get("param").isNull(), limited.toString());
    assertEquals("rate_limit_exceeded", limited.get("code").asText());

    for (HttpResponse<String> unknown :
        List.of(post(chat("gpt-99", "x", 5, false), Map.of()), get("models/gpt-99"))) {
      assertEquals(404, unknown.statusCode(), unknown.body());
      JsonNode error = Json.mapper().readTree(unknown.body()).get("error");
      assertEquals("invalid_request_error", error.get("type").asText(), unknown.body());
      assertEquals("model_not_found", error.get("code").asText(), unknown.body());
      assertEquals("model", error.get("param").asText(), unknown.body());
    }
  }

  @Test
  void aPromptPastTheContextWindowIsA400ContextLengthExceededNamingMessages() throws Exception {
    String long28 = "x".repeat(84); // 3 + 4 + 21 = 28 tokens
    String quarterMillion = "x".repeat(1_000_000); // 250,007 tokens
    for (HttpResponse<String> r :
        List.of(
            post(chat("tiny", long28, 1, false).replace(",\"max_tokens\":1", ""), Map.of()),
            post(chat("gpt-4o-mini", quarterMillion, 5, false), Map.of()),
            post(chat("gpt-4o-mini", quarterMillion, 5, true), Map.of()))) {
      assertEquals(400, r.statusCode(), r.body());
      JsonNode error = Json.mapper().readTree(r.body()).get("error");
      assertEquals("invalid_request_error", error.get("type").asText());
      assertEquals("context_length_exceeded", error.get("code").asText());
      assertEquals("messages", error.get("param").asText());
      assertTrue(error.get("message").asText().startsWith("This model's maximum context"));
    }
  }

  @Test
  void maxTokensCountsAgainstTheContextWindowAsOpenAiCountsIt() throws Exception {
    String prompt = "x".repeat(4 * 127_000); // 127,007 tokens
    assertEquals(200, post(chat("gpt-4o-mini", prompt, 993, false), Map.of()).statusCode());
    HttpResponse<String> r = post(chat("gpt-4o-mini", prompt, 994, false), Map.of());
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(r.body().contains("you requested 128001 tokens"), r.body());
  }

  @Test
  void listsModels() throws Exception {
    JsonNode body = Json.mapper().readTree(get("models").body());
    assertEquals("list", body.get("object").asText());
    List<String> ids = new ArrayList<>();
    body.get("data").forEach(m -> ids.add(m.get("id").asText()));
    assertTrue(
        ids.containsAll(List.of("gpt-4o", "gpt-4o-mini", "claude-sonnet-4")), ids.toString());
  }

  @Test
  void retrievesOneModelAnd404sAnUnknownOneInTheOpenAiShape() throws Exception {
    var known = get("models/gpt-4o-mini");
    assertEquals(200, known.statusCode(), known.body());
    JsonNode model = Json.mapper().readTree(known.body());
    assertEquals("gpt-4o-mini", model.get("id").asText());
    assertEquals("model", model.get("object").asText());

    var unknown = get("models/gpt-99");
    assertEquals(404, unknown.statusCode(), unknown.body());
    JsonNode error = Json.mapper().readTree(unknown.body()).get("error");
    assertEquals("The model 'gpt-99' does not exist", error.get("message").asText());
    assertEquals("model_not_found", error.get("code").asText());
  }

  @Test
  void metersTokensAgainstTheCallersRequestId() throws Exception {
    LlmClient client = new LlmClient(provider::base);
    var c =
        client.complete(
            new LlmClient.Call(
                "req_meter",
                "sync",
                "gpt-4o",
                List.of(ChatMessage.user("count me")),
                25,
                0.2,
                Duration.ofSeconds(10),
                null));
    var records = provider.meter.records("req_meter");
    double in =
        records.stream()
            .filter(r -> r.unit() == BillableUnit.LLM_INPUT_TOKEN)
            .mapToDouble(r -> r.quantity())
            .sum();
    double out =
        records.stream()
            .filter(r -> r.unit() == BillableUnit.LLM_OUTPUT_TOKEN)
            .mapToDouble(r -> r.quantity())
            .sum();
    assertEquals(c.promptTokens(), (int) in);
    assertEquals(25, (int) out);
    assertEquals(
        25 * 10.0 / 1e6 + in * 2.5 / 1e6, provider.meter.cost("req_meter").totalUsd(), 1e-12);
  }

  @Test
  void aCancelledStreamIsBilledOnlyForTokensGenerated() throws Exception {
    LlmClient client = new LlmClient(provider::base);
    LlmClient.Cancellation cancel = new LlmClient.Cancellation();
    List<String> got = new ArrayList<>();
    var call =
        new LlmClient.Call(
            "req_cancel",
            "sse",
            "paced",
            List.of(ChatMessage.user("long answer")),
            2000,
            0.2,
            Duration.ofSeconds(30),
            null);
    var c =
        client.stream(
            call,
            (t, at) -> {
              got.add(t);
              if (got.size() == 5) cancel.cancel();
            },
            cancel);
    assertEquals("cancelled", c.finishReason());
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                provider.meter.records("req_cancel").stream()
                    .anyMatch(r -> r.unit() == BillableUnit.LLM_OUTPUT_TOKEN));
    double out =
        provider.meter.records("req_cancel").stream()
            .filter(r -> r.unit() == BillableUnit.LLM_OUTPUT_TOKEN)
            .mapToDouble(r -> r.quantity())
            .sum();
    assertTrue(
        out >= 5 && out <= 10, "billed " + out + " output tokens for a stream cancelled after 5");
  }

  private static LlmClient.Call call(String prompt, int maxTokens, String fault) {
    return new LlmClient.Call(
        "req_" + prompt.hashCode(),
        "test",
        "gpt-4o-mini",
        List.of(ChatMessage.user(prompt)),
        maxTokens,
        0.5,
        Duration.ofSeconds(30),
        fault);
  }

  static URI unused() {
    return Optional.<URI>empty().orElse(null);
  }
}
