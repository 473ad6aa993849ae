package io.promptway.patterns;

/** The runtime's server could not listen where it was asked to; the message says where and why. */
public final class ListenFailure extends RuntimeException {
  private final boolean portInUse;

  ListenFailure(String address, Throwable cause) {
    super("cannot listen on " + address + ": " + reason(cause), cause);
    this.portInUse = cause != null && inUse(cause.getMessage());
  }

  /** Whether another process holds the port, so another port would do. */
  public boolean portInUse() {
    return portInUse;
  }

  private static String reason(Throwable cause) {
    if (cause == null) return "the server did not start";
    String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    if (inUse(message)) return "the port is already in use";
    if (message.contains("Cannot assign requested address"))
      return "the address is not one of this machine's";
    if (message.contains("Permission denied"))
      return "permission denied (ports below 1024 need privileges)";
    return message;
  }

  private static boolean inUse(String message) {
    return message != null && message.contains("Address already in use");
  }
}
