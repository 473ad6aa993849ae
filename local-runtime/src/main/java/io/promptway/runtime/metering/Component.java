package io.promptway.runtime.metering;

/** A billed part of the platform; cost breakdowns are keyed by these names. */
public enum Component {
  GATEWAY("gateway"),
  FUNCTION("function"),
  QUEUE("queue"),
  BUS("bus"),
  STATE("state"),
  LLM("llm");

  private final String label;

  Component(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
