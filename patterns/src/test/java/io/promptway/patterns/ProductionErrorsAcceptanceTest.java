package io.promptway.patterns;

import static io.promptway.patterns.RuntimeFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProductionErrorsAcceptanceTest {
  @Test
  void productionHidesServerErrorDetailsButStillExplainsClientErrors() throws Exception {
    try (RuntimeFixture rt =
        new RuntimeFixture(
            Map.of(
                "environment",
                "production",
                "time_scale",
                5,
                "llm.models.broken",
                RuntimeFixture.model("10ms", "1ms", 5, Map.of("server_error", 1.0)),
                "prices.llm.broken",
                Map.of("input", 1.0, "output", 2.0)))) {
      var failed = rt.post("/sync/generate", "{\"prompt\":\"x\",\"model\":\"broken\"}");
      assertEquals(502, failed.statusCode());
      String message = json(failed).at("/error/message").asText();
      assertFalse(message.contains("server had an error"), "provider details hidden: " + message);
      assertTrue(
          json(failed).at("/error/details").isEmpty()
              || json(failed).at("/error/details").isMissingNode());
      var bad = rt.post("/sync/generate", "{\"prompt\":\"x\",\"max_tokens\":-1}");
      assertEquals(400, bad.statusCode());
      assertTrue(json(bad).at("/error/message").asText().contains("max_tokens"));
    }
  }
}
