package io.promptway.scenarios.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Flow;

/** The JSON shapes of the runtime's contract, shared by the pattern clients. */
final class Wire {
  static final ObjectMapper JSON = new ObjectMapper();

  private Wire() {}

  static ObjectNode body(GenerationCall call) {
    ObjectNode body = JSON.createObjectNode();
    body.put("prompt", call.prompt());
    if (call.model() != null) body.put("model", call.model());
    body.put("max_tokens", call.maxTokens());
    body.put("priority", call.priority());
    if (call.userTier() != null) body.put("user_tier", call.userTier());
    if (call.conversationId() != null) body.put("conversation_id", call.conversationId());
    return body;
  }

  static HttpRequest.Builder request(URI uri, GenerationCall call) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(call.timeout());
    call.headers().forEach(b::header);
    return b;
  }

  static HttpRequest.BodyPublisher json(JsonNode node) {
    try {
      return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(node));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Like {@link #json(JsonNode)}, telling {@code listener} when the client starts sending it. */
  static HttpRequest.BodyPublisher json(JsonNode node, GenerationListener listener) {
    HttpRequest.BodyPublisher inner = json(node);
    return new HttpRequest.BodyPublisher() {
      @Override
      public long contentLength() {
        return inner.contentLength();
      }

      @Override
      public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        listener.onSending();
        inner.subscribe(subscriber);
      }
    };
  }

  static JsonNode parse(String text) {
    try {
      return text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
    } catch (IOException e) {
      return JSON.createObjectNode().put("unparsed", text);
    }
  }

  /** An error from a non-2xx envelope response. */
  static ClientError error(int status, String body) {
    JsonNode error = parse(body).path("error");
    return ClientError.fromStatus(
        status, error.path("code").asText("HTTP_" + status), error.path("message").asText(""));
  }

  /** A completion from a result object holding text, usage and cost (any of them optional). */
  static Completion completion(
      String requestId, JsonNode result, JsonNode metadata, String servedBy, String text) {
    JsonNode usage = result.has("usage") ? result.get("usage") : metadata.path("usage");
    JsonNode cost = result.has("cost") ? result.get("cost") : metadata.path("cost");
    return new Completion(
        requestId,
        text != null ? text : result.path("text").asText(""),
        result.path("finish_reason").asText("stop"),
        usage.path("prompt_tokens").asInt(0),
        usage.path("completion_tokens").asInt(0),
        cost.isNumber() ? cost.asDouble() : cost.path("total_usd").asDouble(0),
        servedBy,
        0,
        byComponent(cost.path("by_component")));
  }

  private static Map<String, Double> byComponent(JsonNode node) {
    Map<String, Double> out = new TreeMap<>();
    node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asDouble()));
    return out;
  }
}
