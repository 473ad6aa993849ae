package io.promptway.runtime.http;

import java.util.Map;

/**
 * A failure with an HTTP status and a stable code, turned into the error envelope in one place
 * ({@link ErrorResponses}). Built through {@link Errors}, or a subclass for a failure that callers
 * also tell apart by type.
 */
public class ApiException extends RuntimeException {
  private final int status;
  private final String code;
  private final Map<String, Object> details;
  private final Map<String, String> headers;

  public ApiException(
      int status,
      String code,
      String message,
      Map<String, Object> details,
      Map<String, String> headers,
      Throwable cause) {
    super(message, cause, false, false);
    this.status = status;
    this.code = code;
    this.details = details == null ? Map.of() : Map.copyOf(details);
    this.headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public Map<String, Object> details() {
    return details;
  }

  public Map<String, String> headers() {
    return headers;
  }

  /** Client errors are always safe to explain; server errors show details only in development. */
  public boolean isClientError() {
    return status >= 400 && status < 500;
  }
}
