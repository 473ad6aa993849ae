package io.promptway.runtime.queue;

import java.time.Duration;
import java.util.List;

/**
 * A standard message queue (at-least-once, best-effort order), shaped after SQS so a real broker
 * could stand behind it. Every call that reaches the service is billed.
 */
public interface MessageQueue {

  String name();

  QueueSettings settings();

  /** Sends one message; returns its id. {@code requestId} attributes the bill and may be null. */
  String send(String body, String requestId);

  /**
   * Receives up to {@code max} (1-10) visible messages, hiding them for the visibility timeout;
   * waits up to the queue's receive wait when none is visible (long polling).
   */
  List<ReceivedMessage> receive(int max);

  /** Receives with an explicit visibility timeout and wait. */
  List<ReceivedMessage> receive(int max, Duration visibilityTimeout, Duration wait);

  /**
   * Deletes a received message; false when the handle is stale (the message was received again).
   */
  boolean delete(String receiptHandle);

  /** Hides (or, with zero, releases) a received message for {@code timeout} from now. */
  boolean changeVisibility(String receiptHandle, Duration timeout);

  QueueDepth depth();

  /** Reads messages without receiving them: a free introspection call, not an SQS API. */
  List<ReceivedMessage> peek(int max);
}
