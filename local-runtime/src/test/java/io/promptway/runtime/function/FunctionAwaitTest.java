package io.promptway.runtime.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.testing.InMemoryFunctions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FunctionAwaitTest {
  private final InMemoryFunctions runtime = new InMemoryFunctions(Duration.ofSeconds(900), 10);
  private final FunctionRuntime functions = runtime.functions();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void close() {
    release.countDown();
    runtime.close();
  }

  @Test
  void anInvocationThatEndsInTimeGivesItsResult() throws Exception {
    var invocation = functions.start("r1", "sync", inv -> "done");
    assertEquals(Optional.of("done"), functions.await(invocation, Duration.ofSeconds(30)));
  }

  @Test
  void pastTheDeadlineTheWaitIsEmptyAndTheInvocationRunsOnToItsBill() throws Exception {
    var invocation =
        functions.start(
            "r1",
            "sync",
            inv -> {
              release.await(30, TimeUnit.SECONDS);
              return "late";
            });
    long started = System.nanoTime();
    assertEquals(Optional.empty(), functions.await(invocation, Duration.ofMillis(50)));
    assertTrue(System.nanoTime() - started >= Duration.ofMillis(50).toNanos(), "waited it out");
    assertFalse(invocation.isDone());

    release.countDown();
    assertEquals("late", invocation.get(10, TimeUnit.SECONDS));
    assertTrue(
        runtime.meter().records("r1").stream()
            .anyMatch(r -> r.unit() == BillableUnit.FUNCTION_GB_SECOND),
        "billed after the wait gave up");
  }

  @Test
  void aFailingInvocationRethrowsItsOwnException() {
    IllegalStateException boom = new IllegalStateException("boom");
    var invocation =
        functions.start(
            "r1",
            "sync",
            inv -> {
              throw boom;
            });
    assertSame(
        boom,
        assertThrows(
            IllegalStateException.class,
            () -> functions.await(invocation, Duration.ofSeconds(30))));
  }
}
