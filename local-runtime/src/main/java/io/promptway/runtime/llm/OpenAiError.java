package io.promptway.runtime.llm;

import java.util.LinkedHashMap;
import java.util.Map;

/** An error in the OpenAI wire shape {@code {"error": {message, type, param, code}}}. */
public final class OpenAiError extends RuntimeException {
  private final int status;
  private final String type;
  private final String param;
  private final Map<String, String> headers;

  public OpenAiError(int status, String type, String param, String message) {
    this(status, type, param, message, Map.of());
  }

  public OpenAiError(
      int status, String type, String param, String message, Map<String, String> headers) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.param = param;
    this.headers = headers;
  }

  public int status() {
    return status;
  }

  public Map<String, String> headers() {
    return headers;
  }

  public Map<String, Object> body() {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("message", getMessage());
    error.put("type", type);
    error.put("param", param);
    error.put("code", type);
    return Map.of("error", error);
  }
}
