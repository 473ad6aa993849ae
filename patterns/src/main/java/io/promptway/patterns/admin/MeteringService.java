package io.promptway.patterns.admin;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.promptway.runtime.http.Envelope;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.metering.Meter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Read-only views of the bill: {@code GET /metering/totals} (every unit summed per pattern) and
 * {@code GET /metering/prices} (the dated price table in use).
 */
public final class MeteringService implements HttpService {
  private final Meter meter;

  public MeteringService(Meter meter) {
    this.meter = meter;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/totals", this::totals).get("/prices", this::prices);
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
