package io.promptway.patterns.sync;

import static io.promptway.patterns.RuntimeFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.patterns.RuntimeFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SyncPatternAcceptanceTest {
  private static RuntimeFixture rt;

  @BeforeAll
  static void start() throws Exception {
    rt =
        new RuntimeFixture(
            Map.of(
                "time_scale", 20,
                "gateway.integration_timeout", "20s",
                "llm.models.slow", RuntimeFixture.model("60s", "10ms", 20, null),
                "llm.models.broken",
                    RuntimeFixture.model("100ms", "10ms", 20, Map.of("server_error", 1.0)),
                "prices.llm.slow", Map.of("input", 1.0, "output", 2.0),
                "prices.llm.broken", Map.of("input", 1.0, "output", 2.0)));
    // a cold JVM's first request is slow; keep it out of the timed tests
    rt.post("/sync/generate", "{\"prompt\":\"warm up\",\"model\":\"instant\"}");
  }

  @AfterAll
  static void stop() {
    rt.close();
  }

  @Test
  void answersWithTheEnvelopeHeadersUsageAndCost() throws Exception {
    var r =
        rt.post(
            "/sync/generate",
            "{\"prompt\":\"What is a queue?\",\"model\":\"gpt-4o\",\"max_tokens\":40}");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = json(r);
    assertTrue(body.get("success").asBoolean());
    assertFalse(body.at("/data/text").asText().isBlank());
    assertEquals("sync", body.at("/metadata/pattern").asText());
    assertEquals("gpt-4o", body.at("/metadata/model").asText());
    assertEquals(40, body.at("/metadata/usage/completion_tokens").asInt());
    String id = body.at("/metadata/request_id").asText();
    assertEquals(id, r.headers().firstValue("X-Request-Id").orElseThrow());
    assertEquals("sync", r.headers().firstValue("X-Pattern").orElseThrow());
    assertTrue(r.headers().firstValue("X-Processing-Time-Ms").isPresent());
    double headerCost = Double.parseDouble(r.headers().firstValue("X-Cost-Usd").orElseThrow());
    double cost = body.at("/metadata/cost/total_usd").asDouble();
    assertEquals(cost, headerCost, 1e-8);
    for (String component : List.of("gateway", "function", "state", "llm")) {
      assertTrue(
          body.at("/metadata/cost/by_component/" + component).asDouble() > 0,
          component + " is billed");
    }
    // the lifecycle endpoint shows the same bill, row by row
    JsonNode life = json(rt.get("/requests/" + id));
    assertEquals("completed", life.at("/data/request/status").asText());
    List<String> statuses = new ArrayList<>();
    life.at("/data/trail")
        .forEach(
            t -> {
              if (t.has("to")) statuses.add(t.get("to").asText());
            });
    assertEquals(List.of("received", "processing", "completed"), statuses);
    double sum = 0;
    for (JsonNode row : life.at("/data/meter")) {
      assertNotEquals("state.read_unit", row.get("unit").asText(), "looking is not billed");
      sum += row.get("usd").asDouble();
    }
    assertEquals(cost, sum, 1e-12, "the response's cost is the sum of the metered rows");
    JsonNode again = json(rt.get("/requests/" + id));
    assertEquals(
        life.at("/data/cost/total_usd").asDouble(),
        again.at("/data/cost/total_usd").asDouble(),
        "a second look finds the same bill");
  }

  @Test
  void refusesBadInputWithA4xxNamingTheField() throws Exception {
    var r = rt.post("/sync/generate", "{\"prompt\":\"hi\",\"temperature\":7}");
    assertEquals(400, r.statusCode());
    JsonNode body = json(r);
    assertFalse(body.get("success").asBoolean());
    assertEquals("temperature", body.at("/error/details/field").asText());
    assertEquals(400, rt.post("/sync/generate", "not json").statusCode());
    assertEquals(404, rt.get("/requests/req_nope").statusCode());
  }

  @Test
  void pastTheIntegrationTimeoutTheClientGets504WhileTheFunctionRunsOnAndBills() throws Exception {
    long start = System.nanoTime();
    var r = rt.post("/sync/generate", "{\"prompt\":\"take your time\",\"model\":\"slow\"}");
    long realMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(504, r.statusCode(), r.body());
    assertEquals("INTEGRATION_TIMEOUT", json(r).at("/error/code").asText());
    assertTrue(
        realMs < 2900,
        "answered at the 20 s simulated timeout (1 s real), not after the 60 s model: " + realMs);
    // the function still runs on the connection's thread: the client is told to take another
    assertEquals("close", r.headers().firstValue("Connection").orElse(""));
    String id = r.headers().firstValue("X-Request-Id").orElseThrow();
    var next = rt.post("/sync/generate", "{\"prompt\":\"meanwhile\",\"model\":\"instant\"}");
    assertEquals(200, next.statusCode(), next.body());
    assertEquals(
        "timed_out",
        json(rt.get("/requests/" + id)).at("/data/request/status").asText(),
        "the next request was served while the function ran on");
    JsonNode life = rt.awaitStatus(id, "completed");
    List<String> statuses = new ArrayList<>();
    life.at("/data/trail")
        .forEach(
            t -> {
              if (t.has("to")) statuses.add(t.get("to").asText());
            });
    assertEquals(List.of("received", "processing", "timed_out", "completed"), statuses);
    assertEquals(504, life.at("/data/request/client_status").asInt());
    double gbSeconds = 0;
    for (JsonNode row : life.at("/data/meter")) {
      if (row.get("unit").asText().equals("function.gb_second"))
        gbSeconds += row.get("quantity").asDouble();
    }
    assertTrue(
        gbSeconds >= 60.0,
        "the function was billed for the whole 60 s model wait, got " + gbSeconds + " GB-s");
    assertTrue(life.at("/data/cost/by_component/llm").asDouble() > 0, "tokens were billed too");
  }

  @Test
  void aFailingModelAnswers502AndTheLifecycleSaysFailed() throws Exception {
    var r = rt.post("/sync/generate", "{\"prompt\":\"x\",\"model\":\"broken\"}");
    assertEquals(502, r.statusCode(), r.body());
    assertEquals("MODEL_ERROR", json(r).at("/error/code").asText());
    String id = r.headers().firstValue("X-Request-Id").orElseThrow();
    JsonNode life = json(rt.get("/requests/" + id));
    assertEquals("failed", life.at("/data/request/status").asText());
    assertEquals("SERVER_ERROR", life.at("/data/request/error/code").asText());
  }
}
