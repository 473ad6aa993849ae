package io.promptway.scenarios.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads the runtime's meter ({@code GET /metering/totals}) so a report's cost is what the platform
 * billed, not a client-side estimate; {@link #diff} isolates one run from what was billed before.
 */
public final class MeteringClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int IDS_PER_CALL = 1000;

  private final HttpClient http;
  private final URI base;

  public MeteringClient(HttpClient http, URI base) {
    this.http = http;
    this.base = base;
  }

  /** The current totals, or empty when the target has no meter endpoint. */
  public Optional<List<MeterRow>> totals() {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(base.resolve("/metering/totals"))
                  .timeout(Duration.ofSeconds(10))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) return Optional.empty();
      JsonNode root = JSON.readTree(response.body());
      JsonNode data = root.has("data") ? root.get("data") : root;
      if (data.has("totals")) data = data.get("totals");
      List<MeterRow> rows = new ArrayList<>();
      for (JsonNode r : data) {
        rows.add(
            new MeterRow(
                r.path("pattern").asText(""),
                r.path("unit").asText(""),
                r.path("component").asText(""),
                r.path("model").asText(""),
                r.path("quantity").asDouble(),
                r.path("usd").asDouble(),
                r.path("requests").asLong()));
      }
      return Optional.of(rows);
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * The cost billed so far to each of {@code requestIds} that has any, by component, from {@code
   * POST /metering/costs} in calls of {@value #IDS_PER_CALL}; a call that fails (a target without
   * the route) leaves its ids out.
   */
  public Map<String, Map<String, Double>> costs(List<String> requestIds) {
    Map<String, Map<String, Double>> out = new HashMap<>();
    for (int from = 0; from < requestIds.size(); from += IDS_PER_CALL) {
      List<String> ids = requestIds.subList(from, Math.min(requestIds.size(), from + IDS_PER_CALL));
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(base.resolve("/metering/costs"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            JSON.writeValueAsString(Map.of("request_ids", ids))))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) continue;
        JSON.readTree(response.body())
            .path("data")
            .path("costs")
            .properties()
            .forEach(
                e -> {
                  Map<String, Double> byComponent = new TreeMap<>();
                  e.getValue()
                      .path("by_component")
                      .properties()
                      .forEach(c -> byComponent.put(c.getKey(), c.getValue().asDouble()));
                  out.put(e.getKey(), byComponent);
                });
      } catch (IOException e) {
        // left out: the caller falls back to what the completions reported
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return out;
  }

  /** What was billed between two readings, row by row; rows that did not change are dropped. */
  public static List<MeterRow> diff(List<MeterRow> before, List<MeterRow> after) {
    Map<String, MeterRow> earlier = new LinkedHashMap<>();
    for (MeterRow r : before) earlier.put(r.key(), r);
    List<MeterRow> out = new ArrayList<>();
    for (MeterRow r : after) {
      MeterRow b = earlier.get(r.key());
      double q = r.quantity() - (b == null ? 0 : b.quantity());
      double usd = r.usd() - (b == null ? 0 : b.usd());
      long n = r.requests() - (b == null ? 0 : b.requests());
      if (q != 0 || usd != 0 || n != 0) {
        out.add(new MeterRow(r.pattern(), r.unit(), r.component(), r.model(), q, usd, n));
      }
    }
    return out;
  }
}
