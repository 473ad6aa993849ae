package io.promptway.patterns.sync;

import static io.promptway.patterns.RuntimeFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.patterns.RuntimeFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sync function stopped at its maximum duration (3 s) by a model slower than that (60 s). */
class SyncFunctionTimeoutAcceptanceTest {
  private static final String STOPPED =
      "the function ran past its maximum duration of 3s and was stopped";
  private RuntimeFixture rt;

  private void start(String integrationTimeout) {
    rt =
        new RuntimeFixture(
            Map.of(
                "time_scale",
                10,
                "function.max_duration",
                "3s",
                "gateway.integration_timeout",
                integrationTimeout,
                "llm.models.slow",
                RuntimeFixture.model("60s", "10ms", 20, null),
                "prices.llm.slow",
                Map.of("input", 1.0, "output", 2.0)));
  }

  @AfterEach
  void stop() {
    if (rt != null) rt.close();
  }

  private JsonNode lifecycleOnceFailed(String id) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> json(rt.get("/requests/" + id)).path("data"),
            d -> d.at("/request/status").asText().equals("failed"));
  }

  private static List<String> statuses(JsonNode life) {
    List<String> out = new ArrayList<>();
    life.path("trail").forEach(t -> out.add(t.path("to").asText("note")));
    return out;
  }

  private double functionGbSeconds(String id) throws Exception {
    double sum = 0;
    for (JsonNode row : json(rt.get("/requests/" + id)).at("/data/meter")) {
      if (row.get("unit").asText().equals("function.gb_second"))
        sum += row.get("quantity").asDouble();
    }
    return sum;
  }

  @Test
  void aFunctionPastItsMaximumDurationAnswers502FunctionTimeoutAndIsBilledForTheMaximum()
      throws Exception {
    start("20s");
    var r = rt.post("/sync/generate", "{\"prompt\":\"take your time\",\"model\":\"slow\"}");
    assertEquals(502, r.statusCode(), r.body());
    assertEquals("FUNCTION_TIMEOUT", json(r).at("/error/code").asText());
    assertEquals(STOPPED, json(r).at("/error/message").asText());
    String id = r.headers().firstValue("X-Request-Id").orElseThrow();

    JsonNode life = lifecycleOnceFailed(id);
    assertEquals("FUNCTION_TIMEOUT", life.at("/request/error/code").asText());
    assertEquals(502, life.at("/request/client_status").asInt());
    assertEquals(List.of("received", "processing", "failed", "note"), statuses(life));
    assertEquals(STOPPED, life.at("/trail/2/detail").asText());
    assertEquals("client answered 502 FUNCTION_TIMEOUT", life.at("/trail/3/detail").asText());
    assertFalse(life.path("trail").toString().contains("cannot reach"), life.toString());
    // 3 s at 1 GB, however long the interrupted call took to stop
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Math.abs(functionGbSeconds(id) - 3.0) < 1e-9);
  }

  @Test
  void aFunctionStoppedAfterTheClientGot504IsRecordedAsTimedOutToo() throws Exception {
    start("1s");
    var r = rt.post("/sync/generate", "{\"prompt\":\"take your time\",\"model\":\"slow\"}");
    assertEquals(504, r.statusCode(), r.body());
    assertEquals("INTEGRATION_TIMEOUT", json(r).at("/error/code").asText());
    String id = r.headers().firstValue("X-Request-Id").orElseThrow();

    JsonNode life = lifecycleOnceFailed(id);
    assertEquals("FUNCTION_TIMEOUT", life.at("/request/error/code").asText());
    assertEquals(504, life.at("/request/client_status").asInt());
    List<String> statuses = statuses(life);
    assertEquals(List.of("received", "processing", "timed_out"), statuses.subList(0, 3));
    assertEquals("failed", statuses.get(statuses.size() - 1));
    assertEquals(STOPPED, life.path("trail").get(statuses.size() - 1).path("detail").asText());
  }
}
