package io.promptway.runtime.bus;

import java.util.List;

/**
 * An event bus shaped after EventBridge, so a real one could stand behind it: publish events, rules
 * route them to named targets, every step archived.
 */
public interface EventBus {

  /** Registers (or replaces) the target rules refer to by {@code name}. */
  void registerTarget(String name, EventTarget target);

  /**
   * Publishes an event (billed to {@code requestId} under {@code pattern}) and starts delivering it
   * to the targets of every matching rule; returns the names of those rules.
   */
  List<String> publish(CloudEvent event, String requestId, String pattern);

  List<Rule> rules();

  List<ArchiveEntry> archive(String requestId);
}
