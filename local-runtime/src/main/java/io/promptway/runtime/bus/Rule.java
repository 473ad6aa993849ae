package io.promptway.runtime.bus;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.runtime.config.RuntimeConfig;
import io.promptway.runtime.http.Json;
import java.util.List;

/** A bus rule: events matching {@code pattern} are delivered to every target listed (fan-out). */
public record Rule(String name, String description, JsonNode pattern, List<String> targets) {

  public Rule {
    if (name == null || name.isBlank())
      throw new IllegalArgumentException("a bus rule needs a name");
    if (targets == null || targets.isEmpty())
      throw new IllegalArgumentException("bus rule " + name + " needs targets");
    targets = List.copyOf(targets);
  }

  public static Rule fromConfig(RuntimeConfig.BusRule r) {
    return new Rule(r.name(), r.description(), Json.mapper().valueToTree(r.pattern()), r.targets());
  }

  EventPattern compiled() {
    try {
      return EventPattern.compile(pattern);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bus rule " + name + ": " + e.getMessage(), e);
    }
  }
}
