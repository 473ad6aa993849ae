package io.promptway.runtime.config;

import com.fasterxml.jackson.core.JsonPointer;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where each value of the merged configuration came from, so that a problem names it: the line and
 * column of the file that wrote it (also when it reached a model through {@code model_defaults}),
 * the flag that set it, or the shipped defaults, said as such and placed on the line of the nearest
 * mapping the file wrote around it.
 */
final class ValueOrigins {
  private static final JsonPointer MODEL_DEFAULTS = JsonPointer.compile("/model_defaults");

  private final String source;
  private final YamlPositions file;
  private final Map<String, Object> overrides;
  private final Map<String, String> flags;
  private final ShippedValues shipped;

  /**
   * @param file the config file, or null
   * @param overrides dotted keys, in the order they were applied
   * @param flags the flag that set each override, where a person gave it as one
   */
  ValueOrigins(
      Path file, Map<String, Object> overrides, Map<String, String> flags, ShippedValues shipped) {
    this.source = file == null ? "configuration" : file.toString();
    this.file = file == null ? YamlPositions.none() : YamlPositions.read(file);
    this.overrides = overrides;
    this.flags = flags;
    this.shipped = shipped;
  }

  ConfigProblem locate(ConfigBinding.Failure failure) {
    JsonPointer at = failure.at();
    String message = failure.message();
    String override = overrideOf(at);
    if (override != null)
      return ConfigProblem.of(flags.getOrDefault(override, "configuration"), message);
    YamlPositions.Position written = failure.atKey() ? file.keyAt(at) : file.valueAt(at);
    if (written != null) return at(written, message);
    YamlPositions.Position template = fromModelDefaults(at, failure.atKey());
    if (template != null) {
      // one problem in model_defaults, not one for each model it reached
      String model = at.tail().tail().getMatchingProperty();
      return at(template, message.replace("'llm.models." + model + ".", "'model_defaults."));
    }
    if (shipped.at(at) != null) message += " (the default)";
    for (JsonPointer up = at.head(); up != null && !up.matches(); up = up.head()) {
      if (file.writes(up)) return at(file.valueAt(up), message);
    }
    return ConfigProblem.of(source, message);
  }

  /** A problem with the file as a whole, placed where it begins. */
  ConfigProblem wholeFile(String message) {
    YamlPositions.Position start = file.valueAt(JsonPointer.empty());
    return start == null ? ConfigProblem.of(source, message) : at(start, message);
  }

  private ConfigProblem at(YamlPositions.Position position, String message) {
    return new ConfigProblem(source, position.line(), position.column(), message);
  }

  /** The override that set {@code at} or a mapping around it; the last one applied wins. */
  private String overrideOf(JsonPointer at) {
    String target = at.toString();
    String found = null;
    for (String key : overrides.keySet()) {
      String set = ConfigLoader.pointer(key).toString();
      if (target.equals(set) || target.startsWith(set + "/")) found = key;
    }
    return found;
  }

  /** Where the file's {@code model_defaults} gave a model's value, or null. */
  private YamlPositions.Position fromModelDefaults(JsonPointer at, boolean atKey) {
    JsonPointer inProfile = ShippedValues.inProfile(at);
    for (JsonPointer p = inProfile; p != null && !p.matches(); p = p.head()) {
      JsonPointer there = MODEL_DEFAULTS.append(p);
      if (file.writes(there)) return atKey ? file.keyAt(there) : file.valueAt(there);
    }
    return null;
  }
}
