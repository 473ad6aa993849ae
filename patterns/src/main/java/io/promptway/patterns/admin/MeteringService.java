package io.promptway.patterns.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.promptway.runtime.http.Envelope;
import io.promptway.runtime.http.Errors;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.metering.CostBreakdown;
import io.promptway.runtime.metering.Meter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Read-only views of the bill: {@code GET /metering/totals} (every unit summed per pattern), {@code
 * GET /metering/prices} (the dated price table in use) and {@code POST /metering/costs} (the cost
 * so far of up to {@value #MAX_IDS} requests at once, for a replayer settling its bill). None is
 * billed.
 */
public final class MeteringService implements HttpService {
  static final int MAX_IDS = 1000;

  private final Meter meter;

  public MeteringService(Meter meter) {
    this.meter = meter;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/totals", this::totals).get("/prices", this::prices).post("/costs", this::costs);
  }

  private void costs(ServerRequest req, ServerResponse res) {
    if (!req.content().hasEntity()) {
      throw Errors.badRequest("EMPTY_BODY", "request body is empty; send {\"request_ids\": [...]}");
    }
    JsonNode body;
    try {
      body = Json.mapper().readTree(req.content().as(byte[].class));
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      throw Errors.malformedJson(
          e.getOriginalMessage()
              + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
    } catch (IOException e) {
      throw Errors.malformedJson(e.getMessage());
    }
    JsonNode ids = body == null ? null : body.get("request_ids");
    if (ids == null || ids.isNull()) {
      throw Errors.validation("request_ids", "is required: an array of request ids");
    }
    if (!ids.isArray()) {
      throw Errors.validation("request_ids", "must be an array of request ids, got " + ids);
    }
    if (ids.size() > MAX_IDS) {
      throw Errors.validation(
          "request_ids", "at most " + MAX_IDS + " ids per call, got " + ids.size());
    }
    Map<String, Object> costs = new LinkedHashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      JsonNode id = ids.get(i);
      if (!id.isTextual()) {
        throw Errors.validation("request_ids[" + i + "]", "must be a string, got " + id);
      }
      CostBreakdown cost = meter.cost(id.asText());
      if (!cost.byComponent().isEmpty()) costs.put(id.asText(), cost.toEnvelope());
    }
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.send(Json.bytes(Envelope.ok(Map.of("costs", costs), null)));
  }

  private void prices(ServerRequest req, ServerResponse res) {
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.send(Json.bytes(Envelope.ok(meter.prices().document(), null)));
  }

  private void totals(ServerRequest req, ServerResponse res) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Meter.UsageTotal t : meter.totals()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("pattern", t.pattern());
      row.put("component", t.unit().component().label());
      row.put("unit", t.unit().priceKey());
      if (t.model() != null) row.put("model", t.model());
      row.put("quantity", t.quantity());
      row.put("usd", t.usd());
      row.put("requests", t.requests());
      rows.add(row);
    }
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.send(
        Json.bytes(
            Envelope.ok(Map.of("prices_as_of", meter.prices().asOf(), "totals", rows), null)));
  }
}
