package io.promptway.patterns.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class EventLogTest {

  @Test
  void readerJoiningAtAnyIdGetsEveryLaterEventExactlyOnceWhileGenerationRuns() throws Exception {
    EventLog log = new EventLog("r1");
    int tokens = 400;
    int[] joinAfter = {0, 1, 57, 200, 399, 400};
    ConcurrentHashMap<Integer, List<Long>> seen = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(joinAfter.length);
    for (int from : joinAfter) {
      Thread.ofVirtual()
          .start(
              () -> {
                List<Long> ids = new ArrayList<>();
                try {
                  while (log.lastId() < from) LockSupport.parkNanos(50_000);
                  long cursor = from;
                  while (true) {
                    EventLog.Batch b = log.after(cursor, Duration.ofSeconds(5));
                    for (StreamEvent e : b.events()) ids.add(e.id());
                    if (!b.events().isEmpty()) cursor = b.events().getLast().id();
                    if (b.endsStream()) break;
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                seen.put(from, ids);
                done.countDown();
              });
    }
    for (int i = 1; i <= tokens; i++) {
      log.append(StreamEvent.TOKEN, "{\"seq\":" + i + "}");
      if (i % 50 == 0) LockSupport.parkNanos(1_000_000);
    }
    log.finish(StreamEvent.COMPLETE, "{}", 0);

    assertTrue(done.await(10, TimeUnit.SECONDS), "readers finished");
    for (int from : joinAfter) {
      List<Long> expected = new ArrayList<>();
      for (long id = from + 1; id <= tokens + 1; id++) expected.add(id);
      assertEquals(expected, seen.get(from), "reader that joined after id " + from);
    }
  }

  @Test
  void readerOfAFinishedStreamGetsTheRestAtOnce() throws Exception {
    EventLog log = new EventLog("r1");
    for (int i = 0; i < 5; i++) log.append(StreamEvent.TOKEN, "t" + i);
    log.finish(StreamEvent.COMPLETE, "{}", 0);

    EventLog.Batch b = log.after(3, Duration.ofSeconds(5));

    assertEquals(List.of(4L, 5L, 6L), b.events().stream().map(StreamEvent::id).toList());
    assertTrue(b.endsStream());
  }

  @Test
  void waitEndsEmptyAfterTheTimeoutWhenTheModelIsSilent() throws Exception {
    EventLog log = new EventLog("r1");
    long start = System.nanoTime();

    EventLog.Batch b = log.after(0, Duration.ofMillis(50));

    assertTrue(b.events().isEmpty());
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(45));
  }

  @Test
  void nothingCanBeAppendedAfterTheTerminalEvent() {
    EventLog log = new EventLog("r1");
    log.finish(StreamEvent.ERROR, "{}", 0);
    assertThrows(IllegalStateException.class, () -> log.append(StreamEvent.TOKEN, "late"));
  }
}
