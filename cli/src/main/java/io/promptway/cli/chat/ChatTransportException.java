package io.promptway.cli.chat;

/** A turn failed: the runtime answered with an error, or the connection could not be resumed. */
public final class ChatTransportException extends RuntimeException {
  public ChatTransportException(String message) {
    super(message);
  }

  public ChatTransportException(String message, Throwable cause) {
    super(message, cause);
  }
}
