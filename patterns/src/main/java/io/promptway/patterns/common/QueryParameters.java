package io.promptway.patterns.common;

import io.helidon.webserver.http.ServerRequest;
import io.promptway.runtime.http.Errors;

/** Reads the query parameters introspection routes share, answering 400 naming a bad one. */
public final class QueryParameters {
  private QueryParameters() {}

  /** {@code ?limit=}: 1-1000, 100 when absent. */
  public static int limit(ServerRequest req) {
    String text = req.query().first("limit").orElse("100");
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= 1000) return limit;
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw Errors.validation("limit", "must be an integer between 1 and 1000, got '" + text + "'");
  }

  /** A parameter that must be present and not empty; {@code example} shows one. */
  public static String required(ServerRequest req, String name, String example) {
    return req.query()
        .first(name)
        .filter(v -> !v.isEmpty())
        .orElseThrow(() -> Errors.validation(name, "is required, e.g. ?" + name + "=" + example));
  }
}
