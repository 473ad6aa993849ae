package io.promptway.runtime.bus;

/**
 * Something a rule delivers events to (a function, a queue). Throwing means the delivery failed and
 * the bus retries it under its retry policy; returning means it was accepted.
 */
@FunctionalInterface
public interface EventTarget {
  /**
   * @param attempt 1 for the first delivery of this event to this target
   */
  void deliver(CloudEvent event, int attempt) throws Exception;
}
