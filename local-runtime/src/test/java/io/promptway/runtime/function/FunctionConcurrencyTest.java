package io.promptway.runtime.function;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.promptway.runtime.http.ApiException;
import io.promptway.runtime.testing.InMemoryFunctions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FunctionConcurrencyTest {
  private final InMemoryFunctions runtime = new InMemoryFunctions(Duration.ofSeconds(900), 2);
  private final FunctionRuntime functions = runtime.functions();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void close() {
    release.countDown();
    runtime.close();
  }

  private void hold(String requestId, String pattern) {
    functions.start(requestId, pattern, inv -> release.await(30, TimeUnit.SECONDS));
  }

  @Test
  void invocationsPastThePatternsLimitAre429AndAnotherPatternKeepsItsOwn() {
    hold("r1", "sync");
    hold("r2", "sync");

    ApiException refused = assertThrows(ApiException.class, () -> hold("r3", "sync"));
    assertEquals(429, refused.status());
    hold("r4", "webhook");
    hold("r5", "webhook");
    assertThrows(ApiException.class, () -> hold("r6", "webhook"));
  }

  @Test
  void aPatternsWorkerFunctionHasItsOwnLimitApartFromItsEntryFunction() {
    functions.start(
        List.of("r1", "r2"),
        "webhook",
        "webhook-worker",
        inv -> release.await(30, TimeUnit.SECONDS));
    functions.start(
        List.of("r3"), "webhook", "webhook-worker", inv -> release.await(30, TimeUnit.SECONDS));
    assertThrows(
        ApiException.class,
        () -> functions.start(List.of("r4"), "webhook", "webhook-worker", inv -> 1));

    hold("r5", "webhook");
    hold("r6", "webhook");
  }

  @Test
  void aFinishedInvocationGivesItsPlaceBack() {
    hold("r1", "sync");
    hold("r2", "sync");
    assertThrows(ApiException.class, () -> hold("r3", "sync"));

    release.countDown();
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreException(ApiException.class)
        .until(
            () -> {
              functions.start("r4", "sync", inv -> 1);
              return true;
            });
  }
}
