package io.promptway.patterns.websocket;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.config.RuntimeConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ConnectionWatchdogTest {
  private static final RuntimeConfig.Websocket LIMITS =
      new RuntimeConfig.Websocket(Duration.ofMinutes(10), Duration.ofHours(2), 128 * 1024);

  static final class FakeConnection implements ConnectionWatchdog.Watched {
    final long opened;
    volatile long activity;
    final AtomicReference<ConnectionWatchdog.Limit> closedFor = new AtomicReference<>();

    FakeConnection(long opened, long activity) {
      this.opened = opened;
      this.activity = activity;
    }

    @Override
    public long openedAtNanos() {
      return opened;
    }

    @Override
    public long lastActivityNanos() {
      return activity;
    }

    @Override
    public void closeForLimit(ConnectionWatchdog.Limit limit) {
      closedFor.set(limit);
    }
  }

  @Test
  void namesTheLimitAConnectionBreached() {
    try (ConnectionWatchdog w = new ConnectionWatchdog(SimulatedClock.realTime(), LIMITS)) {
      long min = Duration.ofMinutes(1).toNanos();
      assertNull(w.breached(new FakeConnection(0, 0), 9 * min));
      assertEquals(
          ConnectionWatchdog.Limit.IDLE_TIMEOUT, w.breached(new FakeConnection(0, 0), 10 * min));
      assertNull(w.breached(new FakeConnection(0, 115 * min), 119 * min), "active connection");
      assertEquals(
          ConnectionWatchdog.Limit.MAX_DURATION,
          w.breached(new FakeConnection(0, 119 * min), 120 * min));
    }
  }

  @Test
  void closesAnIdleConnectionOnceItsIdleTimeoutPassesInSimulatedTime() {
    SimulatedClock clock = new SimulatedClock(6000); // 10 simulated minutes = 100 ms
    try (ConnectionWatchdog w = new ConnectionWatchdog(clock, LIMITS)) {
      FakeConnection c = new FakeConnection(clock.nanos(), clock.nanos());
      w.watch(c);
      await().atMost(Duration.ofSeconds(5)).until(() -> c.closedFor.get() != null);
      assertEquals(ConnectionWatchdog.Limit.IDLE_TIMEOUT, c.closedFor.get());
      assertEquals(0, w.size());
    }
  }
}
