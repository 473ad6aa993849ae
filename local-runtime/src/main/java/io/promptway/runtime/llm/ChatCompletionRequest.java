package io.promptway.runtime.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.runtime.gateway.ChatMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of an OpenAI chat-completions request the emulator honours. Content may be a string or
 * an array of text parts, as the OpenAI API allows; {@code stop} is null when none is given.
 */
public record ChatCompletionRequest(
    String model,
    List<ChatMessage> messages,
    Integer maxTokens,
    boolean stream,
    boolean includeUsage,
    Long seed,
    int choices,
    List<String> stop) {

  public static ChatCompletionRequest from(JsonNode body) {
    if (body == null || !body.isObject())
      throw new OpenAiError(
          400, "invalid_request_error", null, "request body must be a JSON object");
    JsonNode model = body.get("model");
    if (model == null || !model.isTextual() || model.textValue().isBlank()) {
      throw new OpenAiError(
          400, "invalid_request_error", "model", "you must provide a model parameter");
    }
    JsonNode messages = body.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw new OpenAiError(
          400, "invalid_request_error", "messages", "messages must be a non-empty array");
    }
    List<ChatMessage> out = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      JsonNode role = m.get("role");
      if (role == null || !role.isTextual()) {
        throw new OpenAiError(
            400, "invalid_request_error", "messages[" + i + "].role", "each message needs a role");
      }
      out.add(new ChatMessage(role.textValue(), content(m.get("content"), i)));
    }
    Integer maxTokens = null;
    for (String field : new String[] {"max_completion_tokens", "max_tokens"}) {
      JsonNode n = body.get(field);
      if (n != null && !n.isNull()) {
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 1) {
          throw new OpenAiError(
              400, "invalid_request_error", field, field + " must be a positive integer");
        }
        maxTokens = n.intValue();
        break;
      }
    }
    number(body.get("temperature"), "temperature", 0, 2);
    number(body.get("top_p"), "top_p", 0, 1);
    number(body.get("presence_penalty"), "presence_penalty", -2, 2);
    number(body.get("frequency_penalty"), "frequency_penalty", -2, 2);
    List<String> stop = stop(body.get("stop"));
    int choices = 1;
    JsonNode n = body.get("n");
    if (n != null && !n.isNull()) {
      if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 1)
        throw invalid("n", "n must be a positive integer");
      choices = n.intValue();
    }
    Long seed = null;
    JsonNode s = body.get("seed");
    if (s != null && !s.isNull()) {
      if (!s.isIntegralNumber() || !s.canConvertToLong())
        throw invalid("seed", "seed must be an integer");
      seed = s.longValue();
    }
    boolean stream = flag(body.get("stream"), "stream");
    boolean includeUsage =
        flag(body.path("stream_options").get("include_usage"), "stream_options.include_usage");
    return new ChatCompletionRequest(
        model.textValue(), out, maxTokens, stream, includeUsage, seed, choices, stop);
  }

  /** The stop sequences asked for, or null for none. */
  private static List<String> stop(JsonNode stop) {
    if (stop == null || stop.isNull()) return null;
    if (stop.isTextual()) return List.of(stop.textValue());
    boolean strings = stop.isArray() && stop.size() <= 4;
    if (strings) for (JsonNode one : stop) strings &= one.isTextual();
    if (!strings) throw invalid("stop", "stop must be a string or an array of up to 4 strings");
    List<String> sequences = new ArrayList<>(stop.size());
    for (JsonNode one : stop) sequences.add(one.textValue());
    return sequences;
  }

  private static void number(JsonNode value, String field, double min, double max) {
    if (value == null || value.isNull()) return;
    if (!value.isNumber() || value.doubleValue() < min || value.doubleValue() > max) {
      throw invalid(field, field + " must be a number between " + fmt(min) + " and " + fmt(max));
    }
  }

  private static String fmt(double bound) {
    return bound == Math.rint(bound) ? Long.toString((long) bound) : Double.toString(bound);
  }

  private static boolean flag(JsonNode value, String field) {
    if (value == null || value.isNull()) return false;
    if (!value.isBoolean()) throw invalid(field, field + " must be true or false");
    return value.booleanValue();
  }

  private static OpenAiError invalid(String field, String message) {
    return new OpenAiError(400, "invalid_request_error", field, message);
  }

  private static String content(JsonNode content, int index) {
    if (content == null || content.isNull()) return "";
    if (content.isTextual()) return content.textValue();
    if (content.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode part : content) {
        if (part.path("type").asText().equals("text")) sb.append(part.path("text").asText());
      }
      return sb.toString();
    }
    throw new OpenAiError(
        400,
        "invalid_request_error",
        "messages[" + index + "].content",
        "content must be a string or an array of parts");
  }
}
