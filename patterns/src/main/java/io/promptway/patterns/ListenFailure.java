package io.promptway.patterns;

import java.net.UnknownHostException;

/** The runtime's server could not listen where it was asked to; the message says where and why. */
public final class ListenFailure extends RuntimeException {
  private final boolean portInUse;

  ListenFailure(String address, Throwable cause) {
    this(address, reason(cause), cause);
  }

  private ListenFailure(String address, String reason, Throwable cause) {
    super("cannot listen on " + address + ": " + reason, cause);
    this.portInUse = cause != null && inUse(cause.getMessage());
  }

  /** The host to listen on is neither an address nor a name that resolves. */
  static ListenFailure unknownHost(String address, String host, UnknownHostException cause) {
    return new ListenFailure(
        address,
        "--host (server.host) '"
            + host
            + "' is not an address of this machine or a name that resolves",
        cause);
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
      return "the address is not one of this machine's (--host, server.host)";
    if (message.contains("Permission denied"))
      return "permission denied (ports below 1024 need privileges)";
    return message;
  }

  private static boolean inUse(String message) {
    return message != null && message.contains("Address already in use");
  }
}
