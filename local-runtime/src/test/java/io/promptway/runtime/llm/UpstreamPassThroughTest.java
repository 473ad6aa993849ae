package io.promptway.runtime.llm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.promptway.runtime.gateway.ChatMessage;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pass-through to a real OpenAI-compatible upstream, with WireMock standing in for it. */
class UpstreamPassThroughTest {
  private WireMockServer upstream;
  private ProviderFixture provider;
  private LlmClient client;

  @BeforeEach
  void start() {
    upstream = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
    upstream.start();
    forwardWithin(Duration.ofSeconds(20));
  }

  private void forwardWithin(Duration timeout) {
    var forwarder =
        new UpstreamForwarder(
            URI.create("http://127.0.0.1:" + upstream.port() + "/v1"), "sk-test-key", timeout);
    provider = new ProviderFixture(1, Map.of(), Optional.of(forwarder));
    client = new LlmClient(provider::base);
  }

  @AfterEach
  void stop() {
    provider.close();
    upstream.stop();
  }

  private LlmClient.Call call(String id) {
    return new LlmClient.Call(
        id,
        "sync",
        "gpt-4o-mini",
        List.of(ChatMessage.user("hi upstream")),
        50,
        0.3,
        Duration.ofSeconds(20),
        null);
  }

  @Test
  void forwardsWithTheApiKeyAndMetersTheRealUsage() {
    upstream.stubFor(
        post(urlEqualTo("/v1/chat/completions"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"id\":\"x\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
                            + "\"message\":{\"role\":\"assistant\",\"content\":\"real answer\"},\"finish_reason\":\"stop\"}],"
                            + "\"usage\":{\"prompt_tokens\":123,\"completion_tokens\":45,\"total_tokens\":168}}")));
    var c = client.complete(call("req_up"));
    assertEquals("real answer", c.text());
    upstream.verify(
        postRequestedFor(urlEqualTo("/v1/chat/completions"))
            .withHeader("Authorization", equalTo("Bearer sk-test-key")));
    var records = provider.meter.records("req_up");
    assertEquals(
        123,
        records.stream()
            .filter(r -> r.unit() == BillableUnit.LLM_INPUT_TOKEN)
            .mapToDouble(r -> r.quantity())
            .sum());
    assertEquals(
        45,
        records.stream()
            .filter(r -> r.unit() == BillableUnit.LLM_OUTPUT_TOKEN)
            .mapToDouble(r -> r.quantity())
            .sum());
  }

  @Test
  void relaysA429WithItsRetryAfter() {
    upstream.stubFor(
        post(urlEqualTo("/v1/chat/completions"))
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Retry-After", "7")
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_exceeded\"}}")));
    var e = assertThrows(LlmCallException.class, () -> client.complete(call("req_429")));
    assertEquals(429, e.status());
    assertEquals(Duration.ofSeconds(7), e.retryAfter());
    assertTrue(e.retryable());
    assertEquals("slow down", e.getMessage());
  }

  @Test
  void anUpstreamAnsweringWithSomethingOtherThanJsonIsA502SayingSo() {
    upstream.stubFor(
        post(urlEqualTo("/v1/chat/completions"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/html")
                    .withBody("<html>a login page</html>")));
    var e = assertThrows(LlmCallException.class, () -> client.complete(call("req_html")));
    assertEquals(502, e.status());
    assertTrue(
        e.getMessage()
            .contains("answered 200 with a body that is not JSON (Content-Type text/html)"),
        e.getMessage());
  }

  @Test
  void anUpstreamThatDoesNotAnswerInTimeIsA504NamingTheWait() {
    provider.close();
    forwardWithin(Duration.ofMillis(300));
    upstream.stubFor(
        post(urlEqualTo("/v1/chat/completions"))
            .willReturn(aResponse().withStatus(200).withFixedDelay(3_000)));
    var e = assertThrows(LlmCallException.class, () -> client.complete(call("req_slow")));
    assertEquals(504, e.status());
    assertTrue(e.getMessage().contains("did not answer within 300 ms"), e.getMessage());
  }

  @Test
  void relaysA500AsARetryableFailure() {
    upstream.stubFor(
        post(urlEqualTo("/v1/chat/completions"))
            .willReturn(
                aResponse()
                    .withStatus(500)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}")));
    var e = assertThrows(LlmCallException.class, () -> client.complete(call("req_500")));
    assertEquals(500, e.status());
    assertTrue(e.retryable());
  }

  @Test
  void relaysASlowStreamChunkByChunkAndMetersItsUsageChunk() {
    StringBuilder sse = new StringBuilder();
    for (String t : List.of("Hel", "lo", " from", " up", "stream")) {
      sse.append(
              "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")
          .append(t)
          .append("\"}}]}\n\n");
    }
    sse.append(
        "data: {\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":5,\"total_tokens\":16}}\n\n");
    sse.append("data: [DONE]\n\n");
    upstream.stubFor(
        post(urlEqualTo("/v1/chat/completions"))
            .withRequestBody(matchingJsonPath("$.stream_options.include_usage", equalTo("true")))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/event-stream")
                    .withBody(sse.toString())
                    .withChunkedDribbleDelay(8, 800)));
    List<Long> arrivals = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    long start = System.nanoTime();
    var c =
        client.stream(
            call("req_stream"),
            (t, at) -> {
              tokens.add(t);
              arrivals.add((System.nanoTime() - start) / 1_000_000);
            },
            new LlmClient.Cancellation());
    assertEquals("Hello from upstream", c.text());
    assertEquals(5, tokens.size());
    assertTrue(
        arrivals.get(4) - arrivals.get(0) >= 150,
        "tokens arrived spread over time, not at once: " + arrivals);
    var records = provider.meter.records("req_stream");
    assertEquals(
        11,
        records.stream()
            .filter(r -> r.unit() == BillableUnit.LLM_INPUT_TOKEN)
            .mapToDouble(r -> r.quantity())
            .sum());
    assertEquals(
        5,
        records.stream()
            .filter(r -> r.unit() == BillableUnit.LLM_OUTPUT_TOKEN)
            .mapToDouble(r -> r.quantity())
            .sum());
  }

  @Test
  void aStreamReportsTheUsageChunksCompletionTokensNotItsChunkCount() {
    StringBuilder sse = new StringBuilder();
    for (String t : List.of("Six ", "chunks ", "carry ", "many ", "more ", "tokens")) {
      sse.append(
              "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")
          .append(t)
          .append("\"}}]}\n\n");
    }
    sse.append(
        "data: {\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":111,\"completion_tokens\":37,\"total_tokens\":148}}\n\n");
    sse.append("data: [DONE]\n\n");
    upstream.stubFor(
        post(urlEqualTo("/v1/chat/completions"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/event-stream")
                    .withBody(sse.toString())));
    var c = client.stream(call("req_chunks"), (t, at) -> {}, new LlmClient.Cancellation());
    assertEquals(111, c.promptTokens());
    assertEquals(37, c.completionTokens());
  }

  private static final String ECHOED_KEY =
      "{\"error\":{\"message\":\"Incorrect API key provided: Bearer sk-test-key\","
          + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}";

  @Test
  void anErrorEchoingTheApiKeyReachesNoCallerWithTheKey() throws Exception {
    upstream.stubFor(
        post(urlEqualTo("/v1/chat/completions"))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody(ECHOED_KEY)));
    var blocking = assertThrows(LlmCallException.class, () -> client.complete(call("req_k1")));
    var streamed =
        assertThrows(
            LlmCallException.class,
            () -> client.stream(call("req_k2"), (t, at) -> {}, new LlmClient.Cancellation()));
    var relayed =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(provider.base().resolve("chat/completions"))
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    for (String text : List.of(blocking.getMessage(), streamed.getMessage(), relayed.body())) {
      assertFalse(text.contains("sk-test-key"), text);
      assertTrue(text.contains("Incorrect API key provided: Bearer [redacted]"), text);
    }
    assertEquals(401, relayed.statusCode());
  }

  @Test
  void aStreamedChunkEchoingTheApiKeyIsRelayedWithoutIt() throws Exception {
    upstream.stubFor(
        post(urlEqualTo("/v1/chat/completions"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/event-stream")
                    .withBody(
                        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"key sk-test-key\"}}]}\n\n"
                            + "data: [DONE]\n\n")));
    var c = client.stream(call("req_k3"), (t, at) -> {}, new LlmClient.Cancellation());
    assertEquals("key [redacted]", c.text());
  }

  @Test
  void aMessageNamingTheUpstreamLeavesOutItsUserInfo() {
    provider.close();
    provider =
        new ProviderFixture(
            1,
            Map.of(),
            Optional.of(
                new UpstreamForwarder(
                    URI.create("http://bob:hunter2pass@127.0.0.1:" + upstream.port() + "/v1"),
                    null,
                    Duration.ofSeconds(20))));
    client = new LlmClient(provider::base);
    upstream.stubFor(
        post(urlEqualTo("/v1/chat/completions"))
            .willReturn(aResponse().withStatus(200).withBody("not json")));
    var e = assertThrows(LlmCallException.class, () -> client.complete(call("req_ui")));
    assertFalse(e.getMessage().contains("hunter2pass"), e.getMessage());
    assertTrue(
        e.getMessage().contains("http://127.0.0.1:" + upstream.port() + "/v1/"), e.getMessage());
  }

  @Test
  void anAttributedCallForAModelWithoutAPriceIsRelayedAndMeteredAtZero() {
    upstream.stubFor(
        post(urlEqualTo("/v1/chat/completions"))
            .withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/event-stream")
                    .withBody(
                        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"streamed\"}}]}\n\n"
                            + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":3}}\n\n"
                            + "data: [DONE]\n\n")));
    upstream.stubFor(
        post(urlEqualTo("/v1/chat/completions"))
            .withRequestBody(matchingJsonPath("$.model", equalTo("llama3.2")))
            .atPriority(9)
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"local answer\"},"
                            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":4}}")));
    var llama =
        new LlmClient.Call(
            "req_llama",
            "sync",
            "llama3.2",
            List.of(ChatMessage.user("hi")),
            50,
            0.3,
            Duration.ofSeconds(20),
            null);
    assertEquals("local answer", client.complete(llama).text());
    var streamed = client.stream(llama, (t, at) -> {}, new LlmClient.Cancellation());
    assertEquals("streamed", streamed.text());
    var records = provider.meter.records("req_llama");
    assertEquals(4, records.size(), records.toString());
    assertEquals(26, records.stream().mapToDouble(r -> r.quantity()).sum());
    assertEquals(0, records.stream().mapToDouble(r -> r.usd()).sum());
  }
}
