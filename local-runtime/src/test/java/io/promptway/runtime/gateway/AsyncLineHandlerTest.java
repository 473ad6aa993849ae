package io.promptway.runtime.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class AsyncLineHandlerTest {
  @Test
  void flushReturnsOnceEveryLineFromEveryThreadIsWritten() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AsyncLineHandler handler = new AsyncLineHandler(out, "test-lines");
    int threads = 8;
    int perThread = 5_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      writers.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      start.await();
                    } catch (InterruptedException e) {
                      return;
                    }
                    for (int i = 0; i < perThread; i++)
                      handler.publish(new LogRecord(Level.INFO, id + ":" + i));
                  }));
    }
    start.countDown();
    for (Thread w : writers) w.join();
    handler.flush();

    String[] lines = out.toString(StandardCharsets.UTF_8).split(System.lineSeparator());
    assertEquals(threads * perThread, lines.length);
    int[] next = new int[threads];
    for (String line : lines) {
      String[] parts = line.split(":");
      int t = Integer.parseInt(parts[0]);
      assertEquals(next[t]++, Integer.parseInt(parts[1]), "one thread's lines keep their order");
    }
    handler.close();
  }

  @Test
  void closeWritesWhatWasQueuedAndDropsNothingBeforeIt() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AsyncLineHandler handler = new AsyncLineHandler(out, "test-lines");
    for (int i = 0; i < 1_000; i++) handler.publish(new LogRecord(Level.INFO, "line " + i));
    handler.close();
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(1_000, text.split(System.lineSeparator()).length);
    assertEquals("line 999" + System.lineSeparator(), text.substring(text.lastIndexOf("line 999")));
  }

  @Test
  void recordsBelowTheLevelAreNotWritten() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AsyncLineHandler handler = new AsyncLineHandler(out, "test-lines");
    handler.setLevel(Level.WARNING);
    handler.publish(new LogRecord(Level.INFO, "quiet"));
    handler.publish(new LogRecord(Level.WARNING, "loud"));
    handler.close();
    assertEquals("loud" + System.lineSeparator(), out.toString(StandardCharsets.UTF_8));
  }
}
