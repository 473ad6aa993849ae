package io.promptway.scenarios.model;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the runtime a scenario configures accepts, for {@link ScenarioReader} to check a scenario
 * against: this module knows the runtime only over the network.
 */
public interface RuntimeRules {
  /** The models the runtime knows without a profile from the scenario. */
  Set<String> knownModels();

  /**
   * Why the runtime would not start with these settings (dotted keys to values, as {@link
   * Scenario#runtimeOverrides()} gives them); empty when it would.
   */
  List<Refusal> refuses(Map<String, Object> settings);

  /** One refused setting: the key of {@code settings} that set it (null when none did) and why. */
  record Refusal(String key, String message) {}
}
