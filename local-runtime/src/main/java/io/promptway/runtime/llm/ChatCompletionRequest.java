package io.promptway.runtime.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.runtime.gateway.ChatMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of an OpenAI chat-completions request the emulator honours. Content may be a string or
 * an array of text parts, as the OpenAI API allows.
 */
public record ChatCompletionRequest(
    String model,
    List<ChatMessage> messages,
    Integer maxTokens,
    boolean stream,
    boolean includeUsage) {

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
        if (!n.canConvertToInt() || n.intValue() < 1) {
          throw new OpenAiError(
              400, "invalid_request_error", field, field + " must be a positive integer");
        }
        maxTokens = n.intValue();
        break;
      }
    }
    boolean stream = body.path("stream").asBoolean(false);
    boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
    return new ChatCompletionRequest(model.textValue(), out, maxTokens, stream, includeUsage);
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
