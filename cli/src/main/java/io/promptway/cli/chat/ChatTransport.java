package io.promptway.cli.chat;

/**
 * Sends one chat turn over one API pattern and streams the reply back. One implementation per
 * pattern; the REPL only sees this interface, so its logic is tested with a fake.
 */
public interface ChatTransport extends AutoCloseable {
  /** The pattern's name as the user types it: sync, sse, websocket, async, events, hybrid. */
  String pattern();

  /**
   * Starts the turn and returns at once; tokens go to {@code listener} as they arrive and the
   * returned call completes with the result (exceptionally when the turn failed). A cancelled call
   * settles with what the server did with the request and its metered cost.
   */
  ChatCall start(TurnRequest request, TokenListener listener);

  /**
   * What the runtime billed the request of a turn that failed: its metered cost and the prompt
   * tokens it recorded. Null when the transport cannot ask.
   */
  default TurnResult failedBill(String requestId) throws InterruptedException {
    return null;
  }

  @Override
  default void close() {}
}
