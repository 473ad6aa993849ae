package io.promptway.runtime.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BatchWorkerTest {
  @Test
  void passesItemsOnInOrderAndInFewerBatchesThanItems() throws Exception {
    List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger batches = new AtomicInteger();
    try (BatchWorker<Integer> worker =
        new BatchWorker<>(
            "test-batches",
            1_000,
            batch -> {
              batches.incrementAndGet();
              seen.addAll(batch);
            },
            e -> {})) {
      for (int i = 0; i < 10_000; i++) worker.add(i);
      worker.flush();
      assertEquals(10_000, seen.size());
      for (int i = 0; i < 10_000; i++) assertEquals(i, seen.get(i));
      assertTrue(batches.get() < 1_000, "batches: " + batches.get());
    }
  }

  @Test
  void aGatheringBatchTakesWhatArrivesUntilAFlushCutsItShort() throws Exception {
    List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
    try (BatchWorker<Integer> worker =
        new BatchWorker<>(
            "test-gather",
            1_000,
            BatchWorker.Gathering.of(Duration.ofMinutes(10)),
            b -> batches.add(List.copyOf(b)),
            e -> {})) {
      for (int i = 0; i < 100; i++) worker.add(i);
      assertTrue(worker.flush(Duration.ofSeconds(30)), "the flush waited out the gathering");
      assertEquals(1, batches.size());
      assertEquals(100, batches.getFirst().size());
    }
  }

  @Test
  void aGatheringEndsOnceEnoughItemsAreQueued() throws Exception {
    List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch passedOn = new CountDownLatch(1);
    try (BatchWorker<Integer> worker =
        new BatchWorker<>(
            "test-gather-enough",
            1_000,
            new BatchWorker.Gathering(Duration.ofMinutes(10), 5),
            b -> {
              batches.add(List.copyOf(b));
              passedOn.countDown();
            },
            e -> {})) {
      for (int i = 0; i < 6; i++) worker.add(i);
      assertTrue(passedOn.await(30, TimeUnit.SECONDS), "the batch waited out its ten minutes");
      assertEquals(List.of(0, 1, 2, 3, 4, 5), batches.getFirst());
    }
  }

  @Test
  void aGatheredBatchIsPassedOnWhenItsTimeIsUpWithoutAFlush() throws Exception {
    CountDownLatch passedOn = new CountDownLatch(1);
    try (BatchWorker<Integer> worker =
        new BatchWorker<>(
            "test-gather-time",
            10,
            BatchWorker.Gathering.of(Duration.ofMillis(50)),
            b -> passedOn.countDown(),
            e -> {})) {
      worker.add(1);
      assertTrue(passedOn.await(30, TimeUnit.SECONDS));
    }
  }

  @Test
  void closingPassesOnAGatheringBatchAtOnce() throws Exception {
    List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
    BatchWorker<Integer> worker =
        new BatchWorker<>(
            "test-gather-close",
            10,
            BatchWorker.Gathering.of(Duration.ofMinutes(10)),
            seen::addAll,
            e -> {});
    worker.add(7);
    assertTrue(worker.close(Duration.ofSeconds(30)));
    assertEquals(List.of(7), seen);
  }

  @Test
  void aFailingBatchIsReportedAndCountedSoFlushStillReturns() throws Exception {
    List<RuntimeException> errors = Collections.synchronizedList(new ArrayList<>());
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    try (BatchWorker<String> worker =
        new BatchWorker<>(
            "test-failures",
            100,
            batch -> {
              if (batch.contains("bad")) throw new IllegalStateException("cannot take " + batch);
              seen.addAll(batch);
            },
            errors::add)) {
      worker.add("bad");
      assertTrue(worker.flush(Duration.ofSeconds(10)));
      worker.add("good");
      assertTrue(worker.flush(Duration.ofSeconds(10)));
    }
    assertEquals(1, errors.size());
    assertEquals(List.of("good"), seen);
  }

  @Test
  void aFullQueueMakesTheCallerWaitAndLosesNothing() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
    BatchWorker<Integer> worker =
        new BatchWorker<>("test-full", 2, heldUntil(release, entered, seen::addAll), e -> {});
    CountDownLatch producerDone = new CountDownLatch(1);
    Thread producer =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    for (int i = 0; i < 50; i++) worker.add(i);
                  } catch (InterruptedException e) {
                    return;
                  }
                  producerDone.countDown();
                });
    assertTrue(entered.await(10, TimeUnit.SECONDS));
    assertFalse(worker.flush(Duration.ofMillis(200)), "the sink is held, nothing can finish");
    assertEquals(1, producerDone.getCount(), "the producer waits for room");
    release.countDown();
    producer.join();
    assertTrue(worker.flush(Duration.ofSeconds(10)));
    assertEquals(50, seen.size());
    assertTrue(worker.close(Duration.ofSeconds(10)));
  }

  @Test
  void closePassesOnWhatIsStillQueued() throws Exception {
    List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
    BatchWorker<Integer> worker = new BatchWorker<>("test-close", 10_000, seen::addAll, e -> {});
    for (int i = 0; i < 5_000; i++) worker.add(i);
    assertTrue(worker.close(Duration.ofSeconds(10)), "the worker's thread ended");
    assertEquals(5_000, seen.size());
  }

  @Test
  void aBacklogIsPassedOnInBatchesOfAtMostTheLimitInOrder() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
    try (BatchWorker<Integer> worker =
        new BatchWorker<>(
            "test-backlog",
            Integer.MAX_VALUE,
            heldUntil(release, entered, batch -> batches.add(List.copyOf(batch))),
            e -> {})) {
      worker.add(-1);
      assertTrue(entered.await(10, TimeUnit.SECONDS));
      int backlog = 2 * BatchWorker.MAX_BATCH + 10;
      for (int i = 0; i < backlog; i++) worker.add(i);
      release.countDown();
      assertTrue(worker.flush(Duration.ofSeconds(30)));

      List<Integer> seen = new ArrayList<>();
      for (List<Integer> b : batches) {
        assertTrue(b.size() <= BatchWorker.MAX_BATCH, "a batch of " + b.size());
        seen.addAll(b);
      }
      assertEquals(backlog + 1, seen.size());
      for (int i = 0; i <= backlog; i++) assertEquals(i - 1, seen.get(i));
      assertTrue(batches.size() >= 4, "the backlog took " + batches.size() + " batches");
    }
  }

  /** A sink that says it has a batch, then holds it until {@code release}, then passes it on. */
  private static BatchWorker.Sink<Integer> heldUntil(
      CountDownLatch release, CountDownLatch entered, BatchWorker.Sink<Integer> then) {
    return batch -> {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      then.accept(batch);
    };
  }
}
