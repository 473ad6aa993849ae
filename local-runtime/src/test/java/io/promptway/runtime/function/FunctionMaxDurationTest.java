package io.promptway.runtime.function;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.config.RuntimeConfig;
import io.promptway.runtime.db.Database;
import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.metering.JdbcMeter;
import io.promptway.runtime.metering.PriceTable;
import io.promptway.runtime.testing.InMemoryFunctions;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FunctionMaxDurationTest {
  private final InMemoryFunctions runtime = new InMemoryFunctions(Duration.ofMillis(200), 10);
  private final FunctionRuntime functions = runtime.functions();
  private final CountDownLatch never = new CountDownLatch(1);

  @AfterEach
  void close() {
    never.countDown();
    runtime.close();
  }

  @Test
  void anInvocationPastItsMaximumIsInterruptedToldWhyAndBilledForTheWholeMaximum() {
    AtomicBoolean toldItTimedOut = new AtomicBoolean();
    var invocation =
        functions.start(
            "r1",
            "async",
            inv -> {
              try {
                never.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                toldItTimedOut.set(inv.timedOut());
              }
              return null;
            });

    ExecutionException failed =
        assertThrows(ExecutionException.class, () -> invocation.get(10, TimeUnit.SECONDS));
    FunctionTimeoutException timeout =
        assertInstanceOf(FunctionTimeoutException.class, failed.getCause());
    assertEquals(502, timeout.status());
    assertEquals("FUNCTION_TIMEOUT", timeout.code());
    assertEquals(
        "the function ran past its maximum duration of 200ms and was stopped",
        timeout.getMessage());
    await().atMost(Duration.ofSeconds(10)).until(() -> functions.running() == 0);
    assertTrue(toldItTimedOut.get());
    double gbSeconds = runtime.billed("r1", BillableUnit.FUNCTION_GB_SECOND);
    assertEquals(0.2 * 0.5, gbSeconds, 1e-9);
  }

  @Test
  void anInvocationWhoseMaximumPassesBeforeItBeginsRunsInterruptedAndFreesItsSlot()
      throws Exception {
    // at this time scale the 900 s maximum is under a real microsecond
    SimulatedClock fast = new SimulatedClock(1e9);
    try (Database db = new Database("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        JdbcMeter meter = new JdbcMeter(db, PriceTable.shipped(), fast);
        FunctionRuntime oneSlot =
            new FunctionRuntime(
                fast, meter, new RuntimeConfig.Function(512, Duration.ofSeconds(900), 1))) {
      for (int i = 0; i < 20; i++) {
        AtomicBoolean stopped = new AtomicBoolean();
        var invocation =
            oneSlot.start(
                "r" + i,
                "sync",
                inv -> {
                  try {
                    never.await(30, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    stopped.set(inv.timedOut());
                  }
                  return null;
                });
        ExecutionException failed =
            assertThrows(ExecutionException.class, () -> invocation.get(10, TimeUnit.SECONDS));
        assertInstanceOf(FunctionTimeoutException.class, failed.getCause());
        await().atMost(Duration.ofSeconds(10)).until(() -> oneSlot.running() == 0);
        assertTrue(stopped.get());
      }
    }
  }
}
