package io.promptway.runtime.llm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.runtime.clock.SimulatedClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CallerHangUpsTest {
  private final SimulatedClock clock = new SimulatedClock(1_000);
  private final CallerHangUps hangUps = new CallerHangUps(clock);

  private long in(Duration simulated) {
    return clock.nanos() + simulated.toNanos();
  }

  @Test
  void aLineWaitsUntilItsInstantWhileTheCallerStays() throws Exception {
    CallerHangUps.Caller caller = hangUps.dial();
    try (CallerHangUps.Line line = hangUps.pickUp(caller.id())) {
      long due = in(Duration.ofSeconds(5)); // 5 ms real
      assertTrue(line.waitUntil(due));
      assertTrue(clock.nanos() >= due);
    }
  }

  @Test
  void aHangUpWakesTheWaitingProviderAtOnceAndSaysWhen() throws Exception {
    CallerHangUps.Caller caller = hangUps.dial();
    CompletableFuture<Boolean> waited = new CompletableFuture<>();
    long[] hungUpAt = new long[1];
    long due = in(Duration.ofHours(1)); // 3.6 s real
    Thread provider =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (CallerHangUps.Line line = hangUps.pickUp(caller.id())) {
                    waited.complete(line.waitUntil(due));
                    hungUpAt[0] = line.hungUpAt();
                  } catch (InterruptedException e) {
                    waited.completeExceptionally(e);
                  }
                });
    Thread.sleep(20);
    long before = clock.nanos();
    caller.hangUp();
    assertFalse(waited.get(1, TimeUnit.SECONDS));
    provider.join();
    assertTrue(hungUpAt[0] >= before && hungUpAt[0] < due);
  }

  @Test
  void aHangUpBeforeTheProviderPicksUpIsNotLost() throws Exception {
    CallerHangUps.Caller caller = hangUps.dial();
    caller.hangUp();
    try (CallerHangUps.Line line = hangUps.pickUp(caller.id())) {
      assertFalse(line.waitUntil(in(Duration.ofHours(1))));
    }
  }

  @Test
  void aTokenDueBeforeTheHangUpWasStillGenerated() throws Exception {
    CallerHangUps.Caller caller = hangUps.dial();
    try (CallerHangUps.Line line = hangUps.pickUp(caller.id())) {
      long due = clock.nanos();
      caller.hangUp();
      assertTrue(line.waitUntil(due));
      assertFalse(line.waitUntil(clock.nanos() + 1));
    }
  }

  @Test
  void eachCallHasItsOwnIdAndACallerWithoutOneNeverHangsUp() throws Exception {
    CallerHangUps.Caller a = hangUps.dial();
    CallerHangUps.Caller b = hangUps.dial();
    assertNotEquals(a.id(), b.id());
    a.hangUp();
    try (CallerHangUps.Line line = hangUps.pickUp(null)) {
      assertTrue(line.waitUntil(in(Duration.ofSeconds(1))));
    }
    try (CallerHangUps.Line line = hangUps.pickUp(b.id())) {
      assertTrue(line.waitUntil(in(Duration.ofSeconds(1))));
    }
  }
}
