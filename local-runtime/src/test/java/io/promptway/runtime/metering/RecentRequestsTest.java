package io.promptway.runtime.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RecentRequestsTest {
  @Test
  void keepsAtMostTheLimitForgettingTheEarliestAddedFirst() {
    RecentRequests<String> recent = new RecentRequests<>(3);
    for (String id : List.of("a", "b", "c", "d", "e")) recent.put(id, id.toUpperCase());

    assertEquals(3, recent.size());
    assertNull(recent.get("a"));
    assertNull(recent.get("b"));
    assertEquals("C", recent.get("c"));
    assertEquals("E", recent.get("e"));
  }

  @Test
  void aRequestAlreadyHeldKeepsItsValueAndItsPlace() {
    RecentRequests<AtomicInteger> recent = new RecentRequests<>(2);
    AtomicInteger created = new AtomicInteger();
    AtomicInteger first =
        recent.computeIfAbsent("a", () -> new AtomicInteger(created.incrementAndGet()));
    AtomicInteger again =
        recent.computeIfAbsent("a", () -> new AtomicInteger(created.incrementAndGet()));
    recent.put("b", new AtomicInteger());

    assertEquals(1, created.get());
    assertEquals(first, again);
    assertNotNull(recent.get("a"), "a second look-up does not take a second place");
    recent.put("c", new AtomicInteger());
    assertNull(recent.get("a"));
  }

  @Test
  void forgetsTheRequestsAPredicatePicks() {
    RecentRequests<Integer> recent = new RecentRequests<>(10);
    for (int i = 0; i < 6; i++) recent.put("r" + i, i);

    assertEquals(3, recent.forgetIf(v -> v % 2 == 0));
    assertEquals(3, recent.size());
    assertNull(recent.get("r2"));
    assertEquals(3, recent.get("r3"));
  }

  @Test
  void holdsExactlyTheLimitAfterConcurrentAdds() throws Exception {
    RecentRequests<Integer> recent = new RecentRequests<>(1_000);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < 10_000; i++) {
                      recent.computeIfAbsent(thread + "-" + i, () -> 1);
                    }
                  }));
    }
    for (Thread t : threads) t.join();

    assertEquals(1_000, recent.size());
  }
}
