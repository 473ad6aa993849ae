package io.promptway.patterns.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.patterns.RuntimeFixture;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeteringPricesTest {

  @Test
  void pricesShowTheDatedTableWithConfigOverridesAndAreWhatTheMeterBills() throws Exception {
    try (RuntimeFixture rt =
        new RuntimeFixture(Map.of("prices.llm.gpt-4o-mini", Map.of("input", 0.5, "output", 2.0)))) {
      JsonNode prices = RuntimeFixture.json(rt.get("/metering/prices")).path("data");

      assertEquals("2026-08-21", prices.path("as_of").asText());
      assertEquals(0.5, prices.at("/llm/gpt-4o-mini/input").asDouble());
      assertEquals(2.0, prices.at("/llm/gpt-4o-mini/output").asDouble());
      assertEquals(2.5, prices.at("/llm/gpt-4o/input").asDouble(), "shipped prices stay");
      JsonNode writeUnit = prices.path("units").path("state.write_unit");
      assertEquals(0.625, writeUnit.path("usd").asDouble());
      assertEquals(1_000_000, writeUnit.path("per").asLong());
      assertFalse(writeUnit.path("source").asText().isBlank());

      JsonNode meta =
          RuntimeFixture.json(
                  rt.post(
                      "/sync/generate",
                      "{\"prompt\":\"price check\",\"model\":\"gpt-4o-mini\",\"max_tokens\":8}"))
              .path("metadata");
      double llmUsd = meta.at("/cost/by_component/llm").asDouble();
      double expected =
          meta.at("/usage/prompt_tokens").asLong() * 0.5e-6
              + meta.at("/usage/completion_tokens").asLong() * 2.0e-6;
      assertEquals(expected, llmUsd, 1e-12);
    }
  }
}
