package io.promptway.cli.chat;

/** Receives a reply while it streams; called from the transport's thread. */
public interface TokenListener {
  void onToken(String text);

  /** Something the user should know mid-reply, such as a dropped and resumed connection. */
  default void onNotice(String message) {}
}
