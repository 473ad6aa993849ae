package io.promptway.scenarios.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TimeScaleWarningTest {
  private static Scenario at(String timeScale) {
    return ScenarioReader.parse(
        "s.yaml",
        """
        name: s
        time_scale: %s
        load: {stages: [{type: constant, rate: 1, duration: 10s}]}
        mix: [{weight: 1}]
        patterns: [sync]
        """
            .formatted(timeScale));
  }

  @Test
  void aTimeScaleAtWhichTheMachinesOwnDelaysReadAsSecondsIsWarnedOfBeforeTheRun() {
    Scenario fast = at("1000");
    assertEquals(1, fast.warnings().size(), fast.warnings().toString());
    assertTrue(
        fast.warnings().getFirst().startsWith("time_scale 1000: 5 ms of this machine's own delay"),
        fast.warnings().toString());
    assertTrue(
        fast.warnings().getFirst().contains("5.0s of simulated latency"),
        fast.warnings().toString());
  }

  @Test
  void theLibrarysTimeScalesGetNoWarning() {
    for (String scale : new String[] {"1", "5", "20", "50"})
      assertTrue(at(scale).warnings().isEmpty(), scale + ": " + at(scale).warnings());
  }
}
