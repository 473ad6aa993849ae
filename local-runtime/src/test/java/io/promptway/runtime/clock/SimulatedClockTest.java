package io.promptway.runtime.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulatedClockTest {
  @Test
  void convertsBetweenSimulatedAndRealTimeByTheScale() {
    SimulatedClock clock = new SimulatedClock(20);
    assertEquals(Duration.ofMillis(50), clock.toReal(Duration.ofSeconds(1)));
    assertEquals(Duration.ofSeconds(20), clock.toSimulated(Duration.ofSeconds(1)));
  }

  @Test
  void simulatedTimeRunsFasterAtHigherScale() throws InterruptedException {
    SimulatedClock clock = new SimulatedClock(100);
    long before = clock.nanos();
    long realBefore = System.nanoTime();
    clock.sleep(Duration.ofSeconds(2)); // 20 ms real
    long simulated = clock.nanos() - before;
    long real = System.nanoTime() - realBefore;
    assertTrue(simulated >= Duration.ofSeconds(2).toNanos(), "slept at least 2 simulated seconds");
    assertTrue(real < Duration.ofSeconds(1).toNanos(), "but well under a real second: " + real);
  }

  @Test
  void rejectsANonPositiveScale() {
    assertThrows(IllegalArgumentException.class, () -> new SimulatedClock(0));
    assertThrows(IllegalArgumentException.class, () -> new SimulatedClock(-3));
    assertThrows(IllegalArgumentException.class, () -> new SimulatedClock(Double.NaN));
  }
}
