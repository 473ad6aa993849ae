package io.promptway.runtime.store;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The lifecycle of a request and which transitions are legal. {@code TIMED_OUT} means the client
 * got a 504 from the gateway while the function kept running; it still ends in COMPLETED or FAILED.
 */
public enum RequestStatus {
  RECEIVED,
  QUEUED,
  PROCESSING,
  STREAMING,
  RETRYING,
  TIMED_OUT,
  CLIENT_DISCONNECTED,
  COMPLETED,
  FAILED,
  CANCELLED,
  EXPIRED;

  public boolean terminal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED || this == EXPIRED;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public Set<RequestStatus> next() {
    return switch (this) {
      case RECEIVED -> EnumSet.of(QUEUED, PROCESSING, STREAMING, FAILED, CANCELLED);
      case QUEUED -> EnumSet.of(PROCESSING, STREAMING, RETRYING, FAILED, CANCELLED, EXPIRED);
      case PROCESSING, STREAMING, RETRYING ->
          EnumSet.of(
              PROCESSING,
              STREAMING,
              RETRYING,
              QUEUED,
              TIMED_OUT,
              CLIENT_DISCONNECTED,
              COMPLETED,
              FAILED,
              CANCELLED);
      case TIMED_OUT, CLIENT_DISCONNECTED -> EnumSet.of(COMPLETED, FAILED, CANCELLED);
      case COMPLETED, FAILED, CANCELLED, EXPIRED -> EnumSet.noneOf(RequestStatus.class);
    };
  }

  public boolean canMoveTo(RequestStatus to) {
    return next().contains(to);
  }
}
