package io.promptway.patterns.requests;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.promptway.runtime.gateway.AttributingMeter;
import io.promptway.runtime.gateway.GatewayContext;
import io.promptway.runtime.http.Envelope;
import io.promptway.runtime.http.Errors;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.metering.CostBreakdown;
import io.promptway.runtime.metering.MeterRecord;
import io.promptway.runtime.store.RequestRecord;
import io.promptway.runtime.store.RequestStore;
import io.promptway.runtime.store.StatusTransition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /requests/{id}}: a request's lifecycle, audit trail and cost breakdown, for the caller
 * who sent it (another API key's request is a 404, as an unknown id). Looking is free: the read is
 * not billed to the request it shows.
 */
public final class RequestsService implements HttpService {
  private final RequestStore store;
  private final AttributingMeter meter;

  private static final String CONNECTION_BILL =
      "a WebSocket connection's own charges ($connect, connection minutes, $disconnect); each"
          + " generation on it has a lifecycle under its own id";
  private static final String POINTER_BILL =
      "a hybrid answer that pointed to a stream or to the bus: its own gateway request; the"
          + " request it pointed to has a lifecycle under its own id";

  public RequestsService(RequestStore store, AttributingMeter meter) {
    this.store = store;
    this.meter = meter;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/{id}", this::get);
  }

  private void get(ServerRequest req, ServerResponse res) {
    String id = req.path().pathParameters().get("id");
    RequestRecord r = store.inspect(id).orElse(null);
    String owner = r != null ? r.caller() : meter.callerOf(id);
    if (owner != null && !GatewayContext.owns(req, owner))
      throw Errors.notFound("request '" + id + "'");
    List<MeterRecord> records = meter.records(id);
    if (r == null && records.isEmpty()) throw Errors.notFound("request '" + id + "'");
    CostBreakdown cost = CostBreakdown.of(records);
    Map<String, Object> data = new LinkedHashMap<>();
    if (r != null) {
      data.put("request", view(r));
      data.put("trail", trail(store.trail(id)));
    } else {
      data.put("note", id.startsWith("conn_") ? CONNECTION_BILL : POINTER_BILL);
    }
    data.put("cost", cost.toEnvelope());
    List<Map<String, Object>> meterRows = new ArrayList<>();
    for (MeterRecord m : records) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("component", m.component().label());
      row.put("unit", m.unit().priceKey());
      if (m.model() != null) row.put("model", m.model());
      row.put("quantity", m.quantity());
      row.put("usd", m.usd());
      row.put("recorded_at", m.recordedAt());
      meterRows.add(row);
    }
    data.put("meter", meterRows);
    var meta =
        r == null
            ? new Envelope.Metadata(
                id, records.get(0).pattern(), null, null, null, cost.toEnvelope())
            : new Envelope.Metadata(
                id,
                r.pattern(),
                r.model(),
                Envelope.Usage.of(r.promptTokens(), r.completionTokens()),
                null,
                cost.toEnvelope());
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.header("X-Request-Id", id);
    res.send(Json.bytes(Envelope.ok(data, meta)));
  }

  private static Map<String, Object> view(RequestRecord r) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("request_id", r.id());
    v.put("pattern", r.pattern());
    v.put("model", r.model());
    v.put("caller", r.caller());
    v.put("status", r.status().wire());
    v.put("parameters", r.parameters());
    v.put("prompt_chars", r.promptChars());
    v.put("created_at", r.createdAt());
    v.put("updated_at", r.updatedAt());
    if (r.completedAt() != null) v.put("completed_at", r.completedAt());
    v.put("expires_at", r.expiresAt());
    v.put("usage", Envelope.Usage.of(r.promptTokens(), r.completionTokens()));
    if (r.clientStatus() != null) v.put("client_status", r.clientStatus());
    v.put("attempts", r.attempts());
    if (r.errorCode() != null)
      v.put("error", Map.of("code", r.errorCode(), "message", String.valueOf(r.errorMessage())));
    return v;
  }

  private static List<Map<String, Object>> trail(List<StatusTransition> transitions) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (StatusTransition t : transitions) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("at", t.at());
      if (t.from() != null) e.put("from", t.from().wire());
      if (t.to() != null) e.put("to", t.to().wire());
      e.put("detail", t.detail());
      out.add(e);
    }
    return out;
  }
}
