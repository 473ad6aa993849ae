package io.promptway.runtime.bus;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.runtime.db.SortableIds;
import io.promptway.runtime.http.Json;
import java.time.Instant;

/**
 * An event in the CloudEvents 1.0 JSON format (structured mode): the required attributes {@code
 * specversion, id, source, type}, plus {@code time}, {@code datacontenttype} and the JSON data.
 */
public record CloudEvent(
    String specversion,
    String id,
    String source,
    String type,
    Instant time,
    String datacontenttype,
    JsonNode data) {

  public static final String SPEC_VERSION = "1.0";

  public CloudEvent {
    if (!SPEC_VERSION.equals(specversion))
      throw new IllegalArgumentException("specversion must be 1.0");
    if (id == null || id.isEmpty()) throw new IllegalArgumentException("id is required");
    if (source == null || source.isEmpty())
      throw new IllegalArgumentException("source is required");
    if (type == null || type.isEmpty()) throw new IllegalArgumentException("type is required");
  }

  public static CloudEvent of(String source, String type, Instant time, JsonNode data) {
    return new CloudEvent(
        SPEC_VERSION, SortableIds.uuid(), source, type, time, "application/json", data);
  }

  public JsonNode toJsonNode() {
    return Json.mapper().valueToTree(this);
  }

  public String toJson() {
    return Json.text(this);
  }
}
