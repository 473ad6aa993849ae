package io.promptway.patterns.admin;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.db.Database;
import io.promptway.runtime.http.Json;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /health}: liveness, readiness of the state database, time scale and patterns served.
 */
public final class HealthService implements HttpService {
  private final Database db;
  private final io.promptway.runtime.store.RequestStore store;
  private final SimulatedClock clock;
  private final List<String> patterns;

  public HealthService(
      Database db,
      io.promptway.runtime.store.RequestStore store,
      SimulatedClock clock,
      List<String> patterns) {
    this.db = db;
    this.store = store;
    this.clock = clock;
    this.patterns = List.copyOf(patterns);
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/", this::health);
  }

  private void health(ServerRequest req, ServerResponse res) {
    boolean dbUp;
    try (Connection c = db.connection()) {
      dbUp = c.isValid(2);
    } catch (Exception e) {
      dbUp = false;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", dbUp ? "UP" : "DOWN");
    body.put("checks", Map.of("state_database", dbUp ? "UP" : "DOWN"));
    body.put("time_scale", clock.scale());
    body.put("simulated_time", clock.now());
    body.put("patterns", patterns);
    if (dbUp) body.put("requests_stored", store.count());
    res.status(dbUp ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503);
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.send(Json.bytes(body));
  }
}
