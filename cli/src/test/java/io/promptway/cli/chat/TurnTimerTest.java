package io.promptway.cli.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TurnTimerTest {
  private static final long MS = 1_000_000;

  @Test
  void atTimeScaleTenTheTimingsAreTenTimesTheRealDurations() {
    TurnTimer timer = new TurnTimer(0, 10);
    timer.tokenPrinted(40 * MS);
    timer.tokenPrinted(140 * MS);
    timer.tokenPrinted(240 * MS);

    TurnTiming timing = timer.finish(250 * MS, 21);

    assertEquals(400, timing.ttftMs(), 1e-9);
    assertEquals(2500, timing.totalMs(), 1e-9);
    assertEquals(20 / 2.0, timing.tokensPerSecond(), 1e-9); // 20 tokens over 2 simulated s
  }

  @Test
  void atTimeScaleOneTheTimingsAreTheRealDurations() {
    TurnTimer timer = new TurnTimer(0, 1);
    timer.tokenPrinted(40 * MS);

    TurnTiming timing = timer.finish(50 * MS, 1);

    assertEquals(40, timing.ttftMs(), 1e-9);
    assertEquals(50, timing.totalMs(), 1e-9);
    assertEquals(20, timing.tokensPerSecond(), 1e-9);
  }

  @Test
  void theTimeScaleOfATargetIsReadFromItsHealthAnswer() {
    assertEquals(
        20, ChatCommand.timeScaleOf(200, "{\"status\":\"UP\",\"time_scale\":20.0}", null), 0);
    assertEquals(4, ChatCommand.timeScaleOf(404, "not here", 4.0), 0);
    assertEquals(1, ChatCommand.timeScaleOf(200, "{\"status\":\"UP\"}", null), 0);
  }
}
