package io.promptway.runtime.http;

import io.helidon.http.Status;
import java.util.Map;

/** Helidon's {@link Status} for a code, with the standard reason phrase where Helidon has none. */
public final class HttpStatus {
  // RFC 6585 and RFC 9110 codes the runtime sends that Helidon 4 does not name, and nginx's 499
  // (the client closed the request); without a reason phrase the status line reads "HTTP/1.1 431
  // 431".
  private static final Map<Integer, String> MISSING =
      Map.of(
          428, "Precondition Required",
          431, "Request Header Fields Too Large",
          499, "Client Closed Request",
          511, "Network Authentication Required");

  private HttpStatus() {}

  public static Status of(int code) {
    Status status = Status.create(code);
    if (!status.reasonPhrase().isBlank()) return status;
    String reason = MISSING.get(code);
    return reason == null ? status : Status.create(code, reason);
  }
}
