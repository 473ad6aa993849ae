package io.promptway.runtime.llm;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error in the OpenAI wire shape {@code {"error": {message, type, param, code}}}: {@code param}
 * is sent as null when no field is to blame, and {@code code} is the type unless it says more (as
 * OpenAI's {@code invalid_request_error} with code {@code model_not_found} does).
 */
public final class OpenAiError extends RuntimeException {
  private final int status;
  private final String type;
  private final String code;
  private final String param;
  private final Map<String, String> headers;

  public OpenAiError(int status, String type, String param, String message) {
    this(status, type, type, param, message, Map.of());
  }

  public OpenAiError(
      int status, String type, String param, String message, Map<String, String> headers) {
    this(status, type, type, param, message, headers);
  }

  public OpenAiError(
      int status,
      String type,
      String code,
      String param,
      String message,
      Map<String, String> headers) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = param;
    this.headers = headers;
  }

  /** OpenAI's answer for a model it does not serve. */
  static OpenAiError modelNotFound(String model) {
    return new OpenAiError(
        404,
        "invalid_request_error",
        "model_not_found",
        "model",
        "The model '" + model + "' does not exist",
        Map.of());
  }

  /** OpenAI's answer for a prompt (and the output it asks room for) past the context window. */
  static OpenAiError contextLengthExceeded(String message) {
    return new OpenAiError(
        400, "invalid_request_error", "context_length_exceeded", "messages", message, Map.of());
  }

  public int status() {
    return status;
  }

  public Map<String, String> headers() {
    return headers;
  }

  /** The body, for a writer that keeps nulls: OpenAI always sends {@code param}. */
  public Map<String, Object> body() {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("message", getMessage());
    error.put("type", type);
    error.put("param", param);
    error.put("code", code);
    return Map.of("error", error);
  }
}
