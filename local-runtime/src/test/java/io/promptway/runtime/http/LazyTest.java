package io.promptway.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyTest {
  @Test
  void buildsNothingUntilAskedThenOnceForEveryThread() throws Exception {
    AtomicInteger built = new AtomicInteger();
    Lazy<Object> lazy =
        new Lazy<>(
            () -> {
              built.incrementAndGet();
              return new Object();
            });
    assertEquals(0, built.get());
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Object>> seen = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (int i = 0; i < 8; i++) {
        seen.add(
            pool.submit(
                () -> {
                  go.await();
                  return lazy.get();
                }));
      }
      go.countDown();
      for (Future<Object> f : seen) assertSame(lazy.get(), f.get());
    }
    assertEquals(1, built.get());
  }
}
