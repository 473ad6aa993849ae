package io.promptway.cli.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.promptway.runtime.gateway.ChatMessage;
import io.promptway.runtime.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP plumbing every transport shares: one {@link HttpClient}, request bodies in the API
 * contract's shape, reading usage and cost out of envelopes and events, and how long to wait for
 * the runtime (every request's answer, and each read of a stream).
 */
final class RuntimeHttp {
  /** The gateway's API key header; sent when the user set one in the environment. */
  static final String API_KEY_HEADER = "x-api-key";

  private final URI base;
  private final HttpClient client;
  private final String apiKey;
  private final Duration answerLimit;

  RuntimeHttp(URI base) {
    this(base, null, answerLimit(1));
  }

  /**
   * @param apiKey sent as {@code x-api-key} on every request, or null
   * @param answerLimit how long an answer may take to start, and a stream may stay silent
   */
  RuntimeHttp(URI base, String apiKey, Duration answerLimit) {
    this.answerLimit = answerLimit;
    this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
    this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /**
   * How long to wait for a runtime at {@code timeScale}: a minute of real time plus a simulated
   * minute. The runtime answers within its integration timeout (29 s by default) and a stream sends
   * a comment every 15 simulated seconds while the model is silent, so a runtime past this limit is
   * stuck, or is not a Promptway runtime.
   */
  static Duration answerLimit(double timeScale) {
    return Duration.ofSeconds(60).plusNanos((long) (60e9 / timeScale));
  }

  Duration answerLimit() {
    return answerLimit;
  }

  HttpClient client() {
    return client;
  }

  URI resolve(String path) {
    return base.resolve(path.startsWith("/") ? path.substring(1) : path);
  }

  /** A websocket URI for {@code path} on the same host. */
  URI websocket(String path) {
    URI http = resolve(path);
    String scheme = http.getScheme().equals("https") ? "wss" : "ws";
    return URI.create(scheme + http.toString().substring(http.getScheme().length()));
  }

  /** A request to {@code path} carrying the API key, if any. */
  HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(resolve(path)).timeout(answerLimit);
    if (apiKey != null) builder.header(API_KEY_HEADER, apiKey);
    return builder;
  }

  WebSocket.Builder websocketBuilder() {
    WebSocket.Builder builder = client.newWebSocketBuilder();
    if (apiKey != null) builder.header(API_KEY_HEADER, apiKey);
    return builder;
  }

  HttpRequest.Builder post(String path, JsonNode body) {
    return request(path)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body)));
  }

  JsonNode getJson(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        client.send(
            request(path).header("Accept", "application/json").GET().build(),
            HttpResponse.BodyHandlers.ofString());
    return Json.mapper().readTree(response.body());
  }

  /** The request body of stateless patterns: the whole conversation as {@code messages}. */
  static ObjectNode body(TurnRequest request) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.set("messages", messages(request));
    if (request.model() != null) body.put("model", request.model());
    return body;
  }

  static JsonNode messages(TurnRequest request) {
    var array = Json.mapper().createArrayNode();
    for (ChatMessage m : request.messages()) {
      array.addObject().put("role", m.role()).put("content", m.content());
    }
    return array;
  }

  /** Turns an error envelope (or event data) into an exception naming the code and message. */
  static ChatTransportException failure(int status, JsonNode body) {
    JsonNode error = body == null ? null : body.has("error") ? body.get("error") : body;
    String code = error == null ? "" : error.path("code").asText("");
    String message = error == null ? "" : error.path("message").asText("");
    String text =
        (status > 0 ? "HTTP " + status + " " : "")
            + (code.isEmpty() ? "" : code + ": ")
            + (message.isEmpty() ? "request failed" : message);
    return new ChatTransportException(text.strip());
  }

  static JsonNode parse(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (IOException e) {
      throw new ChatTransportException("the runtime sent something that is not JSON: " + text);
    }
  }

  /** Builds a result from a {@code usage} and {@code cost} node pair, as every pattern reports. */
  static TurnResult result(
      String requestId, String text, String finishReason, JsonNode usage, JsonNode cost) {
    Map<String, Double> byComponent = new LinkedHashMap<>();
    if (cost != null) {
      cost.path("by_component")
          .properties()
          .forEach(e -> byComponent.put(e.getKey(), e.getValue().asDouble()));
    }
    return new TurnResult(
        requestId,
        text == null ? "" : text,
        finishReason,
        usage == null ? 0 : usage.path("prompt_tokens").asLong(),
        usage == null ? 0 : usage.path("completion_tokens").asLong(),
        cost == null ? 0 : cost.path("total_usd").asDouble(),
        byComponent,
        false);
  }

  /**
   * Fills in the cost from {@code GET /requests/{id}} when the pattern's own message carried none.
   */
  TurnResult withCostFromLedger(TurnResult result) {
    if (result.costUsd() > 0 || result.requestId() == null) return result;
    try {
      JsonNode cost = getJson("/requests/" + result.requestId()).path("data").path("cost");
      if (cost.isMissingNode()) return result;
      TurnResult priced =
          result(result.requestId(), result.text(), result.finishReason(), null, cost);
      return result.withCost(priced.costUsd(), priced.costByComponent());
    } catch (IOException | RuntimeException e) {
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return result;
    }
  }
}
