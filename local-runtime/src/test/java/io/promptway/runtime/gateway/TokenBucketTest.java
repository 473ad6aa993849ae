package io.promptway.runtime.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private static final long SECOND = 1_000_000_000L;
  private final AtomicLong now = new AtomicLong(5 * SECOND);

  @Test
  void admitsTheWholeBurstAtOneInstantThenRefusesTheNext() {
    TokenBucket bucket = new TokenBucket(1000, 2000, now::get);
    int admitted = 0;
    for (int i = 0; i < 3000; i++) if (bucket.tryAcquire().admitted()) admitted++;
    assertEquals(2000, admitted);
  }

  @Test
  void refillsAtTheSteadyRateOnceTheBurstIsSpent() {
    TokenBucket bucket = new TokenBucket(1000, 2000, now::get);
    while (bucket.tryAcquire().admitted()) {}
    // Offer 3,000 requests per simulated second, evenly spaced, for 10 seconds.
    for (int second = 0; second < 10; second++) {
      int admitted = 0;
      for (int i = 0; i < 3000; i++) {
        now.addAndGet(SECOND / 3000);
        if (bucket.tryAcquire().admitted()) admitted++;
      }
      assertTrue(Math.abs(admitted - 1000) <= 1, "second " + second + " admitted " + admitted);
    }
  }

  @Test
  void refusalSaysHowLongUntilATokenIsBack() {
    TokenBucket bucket = new TokenBucket(10, 2, now::get);
    assertTrue(bucket.tryAcquire().admitted());
    TokenBucket.Probe second = bucket.tryAcquire();
    assertTrue(second.admitted());
    assertEquals(0, second.remaining());
    assertEquals(200_000_000L, second.resetNanos());
    TokenBucket.Probe refused = bucket.tryAcquire();
    assertFalse(refused.admitted());
    assertEquals(100_000_000L, refused.retryAfterNanos());
    now.addAndGet(100_000_000L);
    assertTrue(bucket.tryAcquire().admitted());
  }

  @Test
  void idleTimeNeverFillsPastTheBurst() {
    TokenBucket bucket = new TokenBucket(1000, 50, now::get);
    now.addAndGet(3600 * SECOND);
    assertEquals(50, bucket.available());
    int admitted = 0;
    for (int i = 0; i < 100; i++) if (bucket.tryAcquire().admitted()) admitted++;
    assertEquals(50, admitted);
  }

  @Test
  void concurrentCallersNeverTakeMoreThanTheBurst() throws Exception {
    TokenBucket bucket = new TokenBucket(1000, 2000, now::get);
    AtomicInteger admitted = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      start.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                      return;
                    }
                    for (int i = 0; i < 5000; i++)
                      if (bucket.tryAcquire().admitted()) admitted.incrementAndGet();
                  }));
    }
    start.countDown();
    for (Thread t : threads) t.join(10_000);
    assertEquals(2000, admitted.get());
  }

  @Test
  void refusesNonsenseLimits() {
    assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 10, now::get));
    assertThrows(IllegalArgumentException.class, () -> new TokenBucket(10, 0, now::get));
  }
}
