package io.promptway.runtime.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.promptway.runtime.config.ConfigLoader;
import io.promptway.runtime.config.RuntimeConfig;
import io.promptway.runtime.http.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultRulesTest {
  @Test
  void theShippedRulesSendHighPriorityToTheFastProcessorAndTheRestToTheSmallModel() {
    RuntimeConfig config = new ConfigLoader().defaults();
    List<Rule> rules = config.bus().rules().stream().map(Rule::fromConfig).toList();
    assertEquals(List.of("fast-processor"), targetsFor(rules, 8));
    assertEquals(List.of("standard-processor"), targetsFor(rules, 5));
    assertEquals("gpt-4o", config.bus().processors().get("fast-processor").model());
    assertEquals(30, config.queue().visibilityTimeout().toSeconds());
    assertEquals(5, config.async().concurrencyPerWorker());
  }

  @Test
  void aBadRulePatternInConfigFailsNamingTheRule() {
    RuntimeConfig.BusRule bad =
        new RuntimeConfig.BusRule("broken", null, Map.of("data", 5), List.of("t"));
    var e = assertThrows(IllegalArgumentException.class, () -> Rule.fromConfig(bad).compiled());
    assertEquals(true, e.getMessage().startsWith("bus rule broken:"), e.getMessage());
  }

  private static List<String> targetsFor(List<Rule> rules, int priority) {
    var event =
        CloudEvent.of(
                "/events/requests",
                "io.promptway.request.created",
                Instant.now(),
                Json.mapper().valueToTree(Map.of("priority", priority)))
            .toJsonNode();
    return rules.stream()
        .filter(r -> r.compiled().matches(event))
        .flatMap(r -> r.targets().stream())
        .toList();
  }
}
