package io.promptway.scenarios.workload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.scenarios.model.Scenario;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArrivalScheduleTest {
  private static Scenario.Stage stage(String type, double rate, double toRate, double durationMs) {
    return new Scenario.Stage(type, rate, toRate, 0, durationMs, 0, 0);
  }

  @Test
  void poissonArrivalRateIsWithinThreeStandardDeviationsOverASeededRun() {
    long[] t = ArrivalSchedule.arrivals(List.of(stage("poisson", 50, 0, 200_000)), 42);
    assertEquals(10_000, t.length, 300, "sd of a Poisson count of 10,000 is 100");
    double[] gaps = new double[t.length - 1];
    for (int i = 1; i < t.length; i++) gaps[i - 1] = t[i] - t[i - 1];
    double mean = Arrays.stream(gaps).average().orElseThrow();
    double sd =
        Math.sqrt(Arrays.stream(gaps).map(g -> (g - mean) * (g - mean)).average().orElseThrow());
    assertEquals(1.0, sd / mean, 0.05, "exponential gaps have a coefficient of variation of 1");
  }

  @Test
  void sameSeedGivesTheSameTimesAndAnotherSeedDoesNot() {
    var stages = List.of(stage("poisson", 5, 0, 60_000));
    assertArrayEquals(ArrivalSchedule.arrivals(stages, 7), ArrivalSchedule.arrivals(stages, 7));
    assertFalse(
        Arrays.equals(ArrivalSchedule.arrivals(stages, 7), ArrivalSchedule.arrivals(stages, 8)));
  }

  @Test
  void constantStagesAreEvenlySpaced() {
    long[] t = ArrivalSchedule.arrivals(List.of(stage("constant", 4, 0, 10_000)), 1);
    assertEquals(40, t.length);
    for (int i = 1; i < t.length; i++) assertEquals(250_000_000L, t[i] - t[i - 1]);
  }

  @Test
  void rampRaisesTheRateAndStagesFollowEachOther() {
    long[] t =
        ArrivalSchedule.arrivals(
            List.of(stage("constant", 1, 0, 10_000), stage("ramp", 0, 100, 100_000)), 3);
    long firstHalf = Arrays.stream(t).filter(x -> x >= 10e9 && x < 60e9).count();
    long secondHalf = Arrays.stream(t).filter(x -> x >= 60e9).count();
    assertEquals(10, Arrays.stream(t).filter(x -> x < 10e9).count());
    assertEquals(1250, firstHalf, 120);
    assertEquals(3750, secondHalf, 200);
  }

  @Test
  void burstsRaiseTheRateOnlyInsideEachWindow() {
    var burst = new Scenario.Stage("burst", 1, 0, 50, 60_000, 20_000, 5_000);
    long[] t = ArrivalSchedule.arrivals(List.of(burst), 5);
    long inBursts = Arrays.stream(t).filter(x -> (x / 1_000_000) % 20_000 < 5_000).count();
    assertEquals(750, inBursts, 90);
    assertEquals(45, t.length - inBursts, 20);
    assertTrue(t.length > 0);
  }
}
