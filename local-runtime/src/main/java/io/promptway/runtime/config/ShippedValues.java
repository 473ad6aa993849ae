package io.promptway.runtime.config;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The shipped defaults, looked up by place: {@code filled} with every model profile completed from
 * {@code template} ({@code model_defaults}), which also answers for a model the defaults do not
 * name.
 */
record ShippedValues(JsonNode filled, JsonNode template) {
  private static final JsonPointer MODELS = JsonPointer.compile("/llm/models");

  /** The shipped value at {@code at}, or null when there is none. */
  JsonNode at(JsonPointer at) {
    JsonNode value = filled.at(at);
    if (!value.isMissingNode()) return value;
    JsonPointer inProfile = inProfile(at);
    if (inProfile == null) return null;
    value = template.at(inProfile);
    return value.isMissingNode() ? null : value;
  }

  /**
   * Where {@code at} is inside a model profile ({@code /ttft/median} for {@code
   * /llm/models/gpt-4o/ttft/median}), which {@code model_defaults} may give; null when elsewhere.
   */
  static JsonPointer inProfile(JsonPointer at) {
    String models = MODELS.toString();
    if (!at.toString().startsWith(models + "/")) return null;
    JsonPointer rest = at.tail().tail().tail();
    return rest == null || rest.matches() ? null : rest;
  }
}
