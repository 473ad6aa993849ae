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
  void aDurationTooLongForNanosecondsSaturatesInsteadOfOverflowing() {
    SimulatedClock clock = new SimulatedClock(100);
    assertEquals(Long.MAX_VALUE, clock.toRealNanos(Duration.ofSeconds(99_999_999_999_999L)));
    assertEquals(Long.MAX_VALUE, clock.toRealNanos(Duration.ofSeconds(Long.MAX_VALUE)));
    assertEquals(Long.MIN_VALUE, clock.toRealNanos(Duration.ofSeconds(Long.MIN_VALUE)));
    assertEquals(5_000_000_000L, clock.toRealNanos(Duration.ofSeconds(500)));
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
  void sleepingUntilAnInstantDoesNotAddUpOvershoot() throws InterruptedException {
    SimulatedClock clock = new SimulatedClock(20);
    long start = clock.nanos();
    long due = start;
    for (int i = 0; i < 100; i++) {
      due += Duration.ofMillis(10).toNanos(); // 0.5 ms real each, 50 ms real in all
      clock.sleepUntil(due);
    }
    long simulated = clock.nanos() - start;
    assertTrue(simulated >= Duration.ofSeconds(1).toNanos(), "reached the last instant");
    // relative sleeps would add every overshoot (>= ~0.1 ms real each, x20 simulated)
    assertTrue(
        simulated < Duration.ofMillis(1_500).toNanos(),
        "overshoot of the last sleep only, not of all 100: " + simulated / 1_000_000 + " ms");
  }

  @Test
  void sleepUntilAPastInstantReturnsAtOnce() throws InterruptedException {
    SimulatedClock clock = new SimulatedClock(1);
    long realBefore = System.nanoTime();
    clock.sleepUntil(clock.nanos() - Duration.ofSeconds(5).toNanos());
    assertTrue(System.nanoTime() - realBefore < Duration.ofSeconds(1).toNanos());
  }

  @Test
  void rejectsANonPositiveScale() {
    assertThrows(IllegalArgumentException.class, () -> new SimulatedClock(0));
    assertThrows(IllegalArgumentException.class, () -> new SimulatedClock(-3));
    assertThrows(IllegalArgumentException.class, () -> new SimulatedClock(Double.NaN));
  }
}
