package io.promptway.runtime.http;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Static factories for every error the runtime answers with, one shape for all. */
public final class Errors {
  private Errors() {}

  /**
   * A request field broke a rule; {@code field} is a JSON pointer-like path such as
   * "messages[2].role".
   */
  public static ApiException validation(String field, String message) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("field", field);
    return new ApiException(400, "VALIDATION_ERROR", field + ": " + message, details, null, null);
  }

  public static ApiException malformedJson(String message) {
    return new ApiException(
        400, "MALFORMED_JSON", "request body is not valid JSON: " + message, null, null, null);
  }

  public static ApiException badRequest(String code, String message) {
    return new ApiException(400, code, message, null, null, null);
  }

  public static ApiException notFound(String what) {
    return new ApiException(404, "NOT_FOUND", what + " not found", null, null, null);
  }

  public static ApiException payloadTooLarge(long limitBytes) {
    return new ApiException(
        413,
        "PAYLOAD_TOO_LARGE",
        "request body exceeds the payload limit of " + limitBytes + " bytes",
        Map.of("limit_bytes", limitBytes),
        null,
        null);
  }

  public static ApiException throttled(String message, Duration retryAfter) {
    long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    return new ApiException(
        429,
        "THROTTLED",
        message,
        Map.of("retry_after_seconds", seconds),
        Map.of("Retry-After", Long.toString(seconds)),
        null);
  }

  public static ApiException integrationTimeout(Duration timeout) {
    return new ApiException(
        504,
        "INTEGRATION_TIMEOUT",
        "the integration did not answer within " + timeout.toMillis() + " ms",
        Map.of("timeout_ms", timeout.toMillis()),
        null,
        null);
  }

  public static ApiException upstream(
      int status, String code, String message, Map<String, String> headers) {
    return new ApiException(status, code, message, null, headers, null);
  }

  public static ApiException internal(String message, Throwable cause) {
    return new ApiException(500, "INTERNAL_ERROR", message, null, null, cause);
  }
}
