package io.promptway.runtime.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.runtime.http.ApiException;
import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.testing.InMemoryFunctions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FunctionRunHereTest {
  private static final Duration LONG = Duration.ofSeconds(30);

  private final InMemoryFunctions runtime = new InMemoryFunctions(Duration.ofSeconds(900), 1);
  private final FunctionRuntime functions = runtime.functions();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void close() {
    release.countDown();
    runtime.close();
  }

  /** Runs {@code handler} as a sync function well within its time, the caller still waiting. */
  private <T> Optional<T> runInTime(String requestId, FunctionRuntime.Handler<T> handler)
      throws ExecutionException {
    return functions.runHere(requestId, "sync", LONG, () -> true, handler);
  }

  private double billed(String requestId, BillableUnit unit) {
    return runtime.billed(requestId, unit);
  }

  @Test
  void anInvocationThatEndsInTimeRunsOnTheCallersThreadAndGivesItsValue() throws Exception {
    AtomicInteger lateCalls = new AtomicInteger();
    Thread caller = Thread.currentThread();
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    Optional<String> value =
        functions.runHere(
            "r1",
            "sync",
            LONG,
            () -> lateCalls.incrementAndGet() > 0,
            inv -> {
              ranOn.set(Thread.currentThread());
              return "done";
            });
    assertEquals(Optional.of("done"), value);
    assertSame(caller, ranOn.get());
    assertEquals(0, lateCalls.get());
    assertEquals(1.0, billed("r1", BillableUnit.FUNCTION_REQUEST), 1e-9);
    assertEquals(0, functions.running());
  }

  @Test
  void pastTheAnswerDeadlineTheLateAnswerGoesOutWhileTheFunctionRunsOnToItsBill() throws Exception {
    CountDownLatch answered = new CountDownLatch(1);
    AtomicReference<Thread> answeredOn = new AtomicReference<>();
    AtomicBoolean handlerSawAnswer = new AtomicBoolean();
    long started = System.nanoTime();
    Optional<String> value =
        functions.runHere(
            "r1",
            "sync",
            Duration.ofMillis(50),
            () -> {
              answeredOn.set(Thread.currentThread());
              answered.countDown();
              return true;
            },
            inv -> {
              // the function is still running when the caller is answered
              handlerSawAnswer.set(answered.await(10, TimeUnit.SECONDS));
              Thread.sleep(100); // runs on past the answer: the bill must cover it
              return "late";
            });
    assertEquals(Optional.empty(), value, "the late answer went out instead");
    assertTrue(handlerSawAnswer.get());
    assertNotSame(Thread.currentThread(), answeredOn.get());
    double gbSeconds = billed("r1", BillableUnit.FUNCTION_GB_SECOND);
    double ranSeconds = (System.nanoTime() - started) / 1e9;
    // the 100 ms it ran past the answer alone: billed only to the answer it would be about 0.025
    assertTrue(gbSeconds >= 0.10 * 0.5, "billed to the function's end: " + gbSeconds);
    assertTrue(gbSeconds <= ranSeconds * 0.5 + 0.001, gbSeconds + " for " + ranSeconds + " s");
  }

  @Test
  void aLateAnswerThatFindsTheFunctionEndingLeavesTheAnswerToTheCaller() throws Exception {
    CountDownLatch lateRan = new CountDownLatch(1);
    Optional<String> value =
        functions.runHere(
            "r1",
            "sync",
            Duration.ofMillis(20),
            () -> {
              lateRan.countDown();
              return false;
            },
            inv -> {
              lateRan.await(10, TimeUnit.SECONDS);
              return "ended";
            });
    assertEquals(Optional.of("ended"), value);
  }

  @Test
  void aFailingHandlerFailsTheCallWithItsOwnExceptionAndIsBilled() {
    IllegalStateException boom = new IllegalStateException("boom");
    ExecutionException failed =
        assertThrows(
            ExecutionException.class,
            () ->
                runInTime(
                    "r1",
                    inv -> {
                      throw boom;
                    }));
    assertSame(boom, failed.getCause());
    assertEquals(1.0, billed("r1", BillableUnit.FUNCTION_REQUEST), 1e-9);
  }

  @Test
  void theConcurrencyLimitRefusesWithoutRunningAndTheSlotIsFreedAfterwards() throws Exception {
    CountDownLatch holding = new CountDownLatch(1);
    Thread other =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    runInTime(
                        "r1",
                        inv -> {
                          holding.countDown();
                          return release.await(10, TimeUnit.SECONDS) ? "ok" : "timeout";
                        });
                  } catch (ExecutionException e) {
                    throw new AssertionError(e);
                  }
                });
    assertTrue(holding.await(10, TimeUnit.SECONDS));
    AtomicBoolean ran = new AtomicBoolean();
    ApiException refused =
        assertThrows(
            ApiException.class,
            () ->
                runInTime(
                    "r2",
                    inv -> {
                      ran.set(true);
                      return "no";
                    }));
    assertEquals(429, refused.status());
    assertFalse(ran.get());
    release.countDown();
    other.join(Duration.ofSeconds(10));
    assertEquals(Optional.of("yes"), runInTime("r3", inv -> "yes"));
  }

  @Test
  void pastTheMaximumTheHandlerIsInterruptedBilledTheMaximumAndTheThreadKeepsNoInterrupt()
      throws Exception {
    try (InMemoryFunctions shortLived = new InMemoryFunctions(Duration.ofMillis(200), 10)) {
      AtomicBoolean toldItTimedOut = new AtomicBoolean();
      // the answer deadline after the maximum: the maximum decides
      ExecutionException failed =
          assertThrows(
              ExecutionException.class,
              () ->
                  shortLived
                      .functions()
                      .runHere(
                          "r1",
                          "sync",
                          LONG,
                          () -> true,
                          inv -> {
                            try {
                              release.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                              toldItTimedOut.set(inv.timedOut());
                              throw e;
                            }
                            return "never";
                          }));
      assertInstanceOf(FunctionTimeoutException.class, failed.getCause());
      assertTrue(toldItTimedOut.get());
      assertFalse(Thread.currentThread().isInterrupted(), "the caller's thread goes on serving");
      double gbSeconds = shortLived.billed("r1", BillableUnit.FUNCTION_GB_SECOND);
      assertEquals(0.2 * 0.5, gbSeconds, 1e-9);
      assertEquals(0, shortLived.functions().running());
    }
  }

  @Test
  void aFunctionStoppedAfterItsLateAnswerFailsNobodyAndLeavesNoInterrupt() throws Exception {
    try (InMemoryFunctions shortLived = new InMemoryFunctions(Duration.ofMillis(200), 10)) {
      Optional<String> value =
          shortLived
              .functions()
              .runHere(
                  "r1",
                  "sync",
                  Duration.ofMillis(20),
                  () -> true,
                  inv -> {
                    release.await(30, TimeUnit.SECONDS);
                    return "never";
                  });
      assertEquals(Optional.empty(), value, "the caller had its late answer");
      assertFalse(Thread.currentThread().isInterrupted());
      assertEquals(0.2 * 0.5, shortLived.billed("r1", BillableUnit.FUNCTION_GB_SECOND), 1e-9);
    }
  }
}
