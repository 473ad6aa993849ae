package io.promptway.patterns.hybrid;

import static io.promptway.patterns.RuntimeFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promptway.patterns.RuntimeFixture;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HybridIntegrationTimeoutTest {
  private static RuntimeFixture rt;

  @BeforeAll
  static void start() {
    rt =
        new RuntimeFixture(
            Map.of(
                "time_scale",
                20,
                "gateway.integration_timeout",
                "20s",
                "llm.models.slow",
                RuntimeFixture.model("60s", "10ms", 20, null),
                "prices.llm.slow",
                Map.of("input", 1.0, "output", 2.0)));
  }

  @AfterAll
  static void stop() {
    rt.close();
  }

  @Test
  void aRequestRoutedSyncGets504PastTheTimeoutAndTheFunctionRunsOnToCompletion() throws Exception {
    var r =
        rt.post("/generate", "{\"prompt\":\"Hi\",\"model\":\"slow\",\"user_tier\":\"premium\"}");
    assertEquals(504, r.statusCode(), r.body());
    assertEquals("sync", r.headers().firstValue("X-Routed-To").orElse(""));
    assertEquals("INTEGRATION_TIMEOUT", json(r).at("/error/code").asText());
    assertEquals("close", r.headers().firstValue("Connection").orElse(""));
    String id = r.headers().firstValue("X-Request-Id").orElseThrow();
    var next =
        rt.post("/generate", "{\"prompt\":\"Hi\",\"model\":\"instant\",\"user_tier\":\"premium\"}");
    assertEquals(200, next.statusCode(), next.body());
    assertEquals(504, rt.awaitStatus(id, "completed").at("/data/request/client_status").asInt());
  }
}
