package io.promptway.scenarios.client;

import java.util.Locale;

/** A generation that did not complete, with the HTTP status (0 if none) and the server's code. */
public record ClientError(Kind kind, int status, String code, String message) {

  /** Why a generation failed, as a report groups failures. */
  public enum Kind {
    /** 504: the gateway's integration timeout passed. */
    TIMEOUT,
    /** 429: throttled by the gateway or the provider. */
    THROTTLED,
    /** another 4xx: the request was refused. */
    REJECTED,
    /** a 5xx other than 504. */
    SERVER_ERROR,
    /** the server reported the generation failed (error event, failed status or webhook). */
    FAILED,
    /** a stream ended without its completion and could not be resumed. */
    DROPPED,
    /** the connection could not be made or broke. */
    CONNECTION,
    /** the client gave up waiting. */
    CLIENT_TIMEOUT;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static ClientError fromStatus(int status, String code, String message) {
    Kind kind =
        switch (status) {
          case 504 -> Kind.TIMEOUT;
          case 429 -> Kind.THROTTLED;
          default -> status >= 500 ? Kind.SERVER_ERROR : Kind.REJECTED;
        };
    return new ClientError(kind, status, code, message);
  }

  /** Maps an error code carried in a stream or status body to a kind. */
  public static ClientError fromCode(String code, String message) {
    String c = code == null ? "" : code.toUpperCase(Locale.ROOT);
    Kind kind =
        c.contains("TIMEOUT")
            ? Kind.TIMEOUT
            : c.contains("RATE") || c.contains("THROTTL") ? Kind.THROTTLED : Kind.FAILED;
    return new ClientError(kind, 0, code, message);
  }
}
