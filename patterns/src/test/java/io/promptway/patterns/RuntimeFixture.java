package io.promptway.patterns;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.runtime.config.ConfigLoader;
import io.promptway.runtime.http.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;

/** The real runtime wiring on a free loopback port with an in-memory state database. */
public final class RuntimeFixture implements AutoCloseable {
  public final RunningRuntime runtime;
  public final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public RuntimeFixture(Map<String, Object> overrides) {
    Map<String, Object> o = new HashMap<>();
    o.put("server.port", 0);
    o.put("state.jdbc_url", "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    o.putAll(overrides);
    runtime = PromptwayServer.start(new ConfigLoader().load(null, o));
  }

  public URI uri(String path) {
    return runtime.baseUri().resolve(path.startsWith("/") ? path.substring(1) : path);
  }

  public HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Any method, with {@code body} and no Content-Type. */
  public HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(30))
            .method(method, body)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The request's lifecycle ({@code GET /requests/{id}}) once its status is {@code status}. */
  public JsonNode awaitStatus(String requestId, String status) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> json(get("/requests/" + requestId)),
            life -> life.at("/data/request/status").asText().equals(status));
  }

  public static JsonNode json(HttpResponse<String> r) {
    try {
      return Json.mapper().readTree(r.body());
    } catch (Exception e) {
      throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
    }
  }

  /** A model profile for config overrides, latencies in simulated time. */
  public static Map<String, Object> model(
      String ttft, String interToken, int outputTokens, Map<String, Object> faults) {
    Map<String, Object> m = new HashMap<>();
    m.put("ttft", Map.of("median", ttft, "p95", ttft));
    m.put("inter_token", Map.of("median", interToken, "p95", interToken));
    m.put("output_tokens", Map.of("median", outputTokens, "p95", outputTokens));
    if (faults != null) m.put("faults", faults);
    return m;
  }

  @Override
  public void close() {
    runtime.close();
  }
}
