package io.promptway.patterns.sync;

import static io.promptway.patterns.RuntimeFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.patterns.RuntimeFixture;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SyncFunctionThrottleTest {
  private final RuntimeFixture rt =
      new RuntimeFixture(
          Map.of(
              "time_scale",
              20,
              "function.concurrency_limit",
              1,
              "llm.models.slow",
              RuntimeFixture.model("60s", "10ms", 20, null),
              "prices.llm.slow",
              Map.of("input", 1.0, "output", 2.0)));

  @AfterEach
  void close() {
    rt.close();
  }

  @Test
  void aRequestPastTheFunctionsConcurrencyLimitGets429AndItsLifecycleSaysFailed() throws Exception {
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                rt.post("/sync/generate", "{\"prompt\":\"hold the only slot\",\"model\":\"slow\"}");
              } catch (Exception ignored) {
                // the runtime closes under it at the end of the test
              }
            });
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> rt.runtime.platform().functions().running() == 1);

    HttpResponse<String> r = rt.post("/sync/generate", "{\"prompt\":\"x\",\"model\":\"instant\"}");
    assertEquals(429, r.statusCode(), r.body());
    assertEquals("THROTTLED", json(r).at("/error/code").asText(), r.body());
    String id = r.headers().firstValue("X-Request-Id").orElseThrow();
    JsonNode life = json(rt.get("/requests/" + id));
    assertEquals("failed", life.at("/data/request/status").asText(), life.toString());
    assertEquals("THROTTLED", life.at("/data/request/error/code").asText());
    assertEquals(429, life.at("/data/request/client_status").asInt());
  }
}
