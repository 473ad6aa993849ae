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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the runtime's meter ({@code GET /metering/totals}) so a report's cost is what the platform
 * billed, not a client-side estimate; {@link #diff} isolates one run from what was billed before.
 */
public final class MeteringClient {
  private static final ObjectMapper JSON = new ObjectMapper();

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
