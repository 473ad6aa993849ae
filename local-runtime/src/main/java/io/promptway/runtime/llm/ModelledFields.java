package io.promptway.runtime.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.runtime.gateway.ChatMessage;
import java.util.List;

/**
 * Refuses, with a 400 naming the field, what a request asks of the emulator that it does not model
 * (tool calls, structured output, log probabilities, more than one choice) and messages whose role
 * OpenAI does not know, rather than answering with prose as though it had been honoured. Requests
 * forwarded to an upstream provider are not checked here: the provider decides.
 */
final class ModelledFields {
  private ModelledFields() {}

  static void check(JsonNode body, ChatCompletionRequest request) {
    for (String field : new String[] {"tools", "tool_choice", "functions", "function_call"}) {
      JsonNode value = body.get(field);
      if (asksForTools(value)) {
        throw invalid(
            field, field + " is not modelled: the emulator answers with text only, no tool calls");
      }
    }
    JsonNode format = body.get("response_format");
    if (format != null && !format.isNull() && !format.path("type").asText().equals("text")) {
      throw invalid(
          "response_format",
          "response_format other than {\"type\": \"text\"} is not modelled: the emulator answers"
              + " with prose");
    }
    JsonNode logprobs = body.get("logprobs");
    if (logprobs != null && !logprobs.isNull() && !logprobs.isBoolean())
      throw invalid("logprobs", "logprobs must be true or false");
    if (logprobs != null && logprobs.booleanValue())
      throw invalid("logprobs", "logprobs are not modelled by the emulator");
    JsonNode top = body.get("top_logprobs");
    if (top != null && !top.isNull())
      throw invalid("top_logprobs", "top_logprobs are not modelled by the emulator");
    if (request.choices() != 1)
      throw invalid("n", "n must be 1: the emulator answers with one choice");
    List<ChatMessage> messages = request.messages();
    for (int i = 0; i < messages.size(); i++) {
      switch (messages.get(i).role()) {
        case "system", "user", "assistant", "tool", "developer", "function" -> {}
        default ->
            throw invalid(
                "messages[" + i + "].role",
                "role '"
                    + messages.get(i).role()
                    + "' is not one of system, user, assistant, tool, developer, function");
      }
    }
  }

  /** A tool field that asks for something: "none" or an empty value asks for no tool call. */
  private static boolean asksForTools(JsonNode value) {
    if (value == null || value.isNull()) return false;
    if (value.isTextual()) return !value.textValue().isEmpty() && !value.textValue().equals("none");
    return !(value.isContainerNode() && value.isEmpty());
  }

  private static OpenAiError invalid(String field, String message) {
    return new OpenAiError(400, "invalid_request_error", field, message);
  }
}
