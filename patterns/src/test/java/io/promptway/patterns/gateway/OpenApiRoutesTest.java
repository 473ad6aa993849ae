package io.promptway.patterns.gateway;

import static io.promptway.patterns.gateway.TestRuntimes.get;
import static io.promptway.patterns.gateway.TestRuntimes.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.promptway.patterns.RunningRuntime;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenApiRoutesTest {

  @Test
  void everyServedRouteIsDocumentedAndTheDocumentIsServedAsJsonAndYaml() throws Exception {
    try (RunningRuntime rt = TestRuntimes.start(Map.of())) {
      HttpResponse<String> res = get(rt, "/openapi");
      assertEquals(200, res.statusCode());
      assertTrue(
          res.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
      JsonNode doc = json(res);
      assertTrue(doc.path("openapi").asText().startsWith("3.1"));
      for (String route : rt.routes()) {
        String[] parts = route.trim().split("\\s+");
        String method = parts[0].toLowerCase(Locale.ROOT);
        assertTrue(
            doc.path("paths").path(parts[1]).has(method),
            route + " is not in the OpenAPI document");
      }
      HttpResponse<String> yaml = get(rt, "/openapi?format=yaml");
      assertTrue(
          yaml.headers().firstValue("Content-Type").orElseThrow().startsWith("application/yaml"));
      assertEquals(doc, new ObjectMapper(new YAMLFactory()).readTree(yaml.body()));
    }
  }

  @Test
  void everyListedRouteIsAnsweredByItsOwnHandlerNotTheUnmatchedRoute() {
    try (RunningRuntime rt = TestRuntimes.start(Map.of())) {
      for (String route : rt.routes()) {
        String[] parts = route.trim().split("\\s+");
        if (parts.length > 2) continue; // a note, e.g. "(WebSocket)": another protocol's route
        String path = parts[1].replaceAll("\\{[^/]+}", "no-such-id");
        HttpRequest.Builder req = HttpRequest.newBuilder(rt.baseUri().resolve(path));
        req =
            parts[0].equals("POST")
                ? req.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                : req.method(parts[0], HttpRequest.BodyPublishers.noBody());
        HttpResponse<String> res = TestRuntimes.send(req.build());

        assertNotEquals(405, res.statusCode(), route + " answered " + res.body());
        assertFalse(
            res.statusCode() == 404 && res.body().contains("\"route " + parts[0]),
            route + " fell through to the unmatched route: " + res.body());
      }
    }
  }

  @Test
  void documentedOperationalRoutesAnswer() {
    try (RunningRuntime rt = TestRuntimes.start(Map.of())) {
      for (String path :
          new String[] {
            "/health",
            "/health/live",
            "/health/ready",
            "/metrics",
            "/openapi",
            "/metering/totals",
            "/llm/v1/models"
          }) {
        assertEquals(200, get(rt, path).statusCode(), path);
      }
    }
  }
}
