package io.promptway.runtime.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.db.Database;
import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.metering.JdbcMeter;
import io.promptway.runtime.metering.PriceTable;
import java.lang.Thread.State;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcMessageQueueTest {
  private final SimulatedClock clock = new SimulatedClock(100);
  private Database db =
      new Database("jdbc:h2:mem:queue-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  private JdbcMeter meter = new JdbcMeter(db, PriceTable.shipped(), clock);

  @AfterEach
  void close() {
    meter.close();
    db.close();
  }

  private QueueSettings settings() {
    return new QueueSettings(
        "work",
        "webhook",
        Duration.ofSeconds(30),
        3,
        Duration.ofDays(4),
        1 << 20,
        Duration.ZERO,
        "work-dlq");
  }

  @Test
  void journalTableCarriesNoSecondaryIndexOnceMigrated() throws Exception {
    new JdbcMessageQueue(db, clock, meter, settings()).send("m", "r");
    try (var c = db.connection();
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES "
                        + "WHERE TABLE_NAME = 'QUEUE_MESSAGES' AND INDEX_TYPE_NAME = 'INDEX'")) {
      List<String> secondary = new ArrayList<>();
      while (rs.next()) secondary.add(rs.getString(1));
      assertEquals(List.of(), secondary, "every send, receive and delete would update these");
    }
  }

  @Test
  void aReceiverAlreadyWaitingGetsAMessageWhoseVisibilityWasShortenedWhenItComesBack()
      throws Exception {
    SimulatedClock realTime = new SimulatedClock(1);
    JdbcMessageQueue q = new JdbcMessageQueue(db, realTime, meter, settings());
    q.send("job", "r1");
    String receipt = q.receive(1).getFirst().receiptHandle(); // hidden for 30 s
    List<List<ReceivedMessage>> got = new CopyOnWriteArrayList<>();
    Thread receiver =
        Thread.ofPlatform()
            .start(() -> got.add(q.receive(1, Duration.ofSeconds(30), Duration.ofSeconds(20))));
    // parked in its long poll, its wake-up set by the 30 s the message is hidden
    await().atMost(Duration.ofSeconds(5)).until(() -> receiver.getState() == State.TIMED_WAITING);

    assertTrue(q.changeVisibility(receipt, Duration.ofMillis(200)));
    receiver.join(Duration.ofSeconds(10));

    assertEquals(1, got.size(), "the waiting receive returned well before its 20 s wait ended");
    assertEquals(1, got.getFirst().size());
  }

  @Test
  void receivesAtMostTenMessagesPerBatchAndHidesThemUntilDeleted() {
    JdbcMessageQueue q = new JdbcMessageQueue(db, clock, meter, settings());
    for (int i = 0; i < 15; i++) q.send("m" + i, "r" + i);
    List<ReceivedMessage> first = q.receive(10);
    List<ReceivedMessage> second = q.receive(10);
    assertEquals(10, first.size());
    assertEquals(5, second.size());
    assertTrue(
        q.receive(10).isEmpty(), "received messages stay hidden during the visibility timeout");
    Set<String> bodies = new HashSet<>();
    for (ReceivedMessage m : first) bodies.add(m.body());
    for (ReceivedMessage m : second) bodies.add(m.body());
    assertEquals(15, bodies.size());
    for (ReceivedMessage m : first) assertTrue(q.delete(m.receiptHandle()));
    assertEquals(new QueueDepth(0, 5), q.depth());
  }

  @Test
  void redeliversAMessageWhoseVisibilityTimeoutPassedWithANewReceiptAndCount() {
    JdbcMessageQueue q =
        new JdbcMessageQueue(
            db, clock, meter, settings().withVisibilityTimeout(Duration.ofSeconds(10)));
    q.send("hello", "r1");
    ReceivedMessage first = q.receive(1).get(0);
    assertEquals(1, first.receiveCount());
    ReceivedMessage again =
        await().atMost(Duration.ofSeconds(5)).until(() -> q.receive(1), l -> !l.isEmpty()).get(0);
    assertEquals("hello", again.body());
    assertEquals(2, again.receiveCount());
    assertFalse(q.delete(first.receiptHandle()), "the first receipt is stale after redelivery");
    assertTrue(q.delete(again.receiptHandle()));
  }

  @Test
  void movesAMessageToTheDeadLetterQueueAfterMaxReceiveCount() {
    JdbcMessageQueue q = new JdbcMessageQueue(db, clock, meter, settings());
    JdbcMessageQueue dlq = new JdbcMessageQueue(db, clock, meter, settings().deadLetterSettings());
    q.send("poison", "r1");
    for (int i = 1; i <= 3; i++) {
      ReceivedMessage m = q.receive(1).get(0);
      assertEquals(i, m.receiveCount());
      q.changeVisibility(m.receiptHandle(), Duration.ZERO);
    }
    assertTrue(q.receive(1).isEmpty(), "the fourth receive redrives instead of delivering");
    List<ReceivedMessage> dead = dlq.receive(1);
    assertEquals(1, dead.size());
    assertEquals("poison", dead.get(0).body());
  }

  @Test
  void keepsMessagesAcrossARestartAndReleasesOnesAWorkerHeldWhenItDied(@TempDir Path dir) {
    String url = "jdbc:h2:file:" + dir.resolve("q") + ";DB_CLOSE_DELAY=-1";
    Database fileDb = new Database(url);
    JdbcMeter fileMeter = new JdbcMeter(fileDb, PriceTable.shipped(), clock);
    QueueSettings s = settings().withVisibilityTimeout(Duration.ofSeconds(20));
    JdbcMessageQueue q = new JdbcMessageQueue(fileDb, clock, fileMeter, s);
    q.send("a", "r1");
    q.send("b", "r2");
    assertEquals(1, q.receive(1).size(), "a worker takes one and dies without deleting it");
    fileMeter.close();
    fileDb.close();

    SimulatedClock restarted = new SimulatedClock(100);
    Database reopened = new Database(url);
    JdbcMeter meter2 = new JdbcMeter(reopened, PriceTable.shipped(), restarted);
    try {
      JdbcMessageQueue q2 = new JdbcMessageQueue(reopened, restarted, meter2, s);
      assertEquals(2, q2.depth().total());
      Set<String> seen = new HashSet<>();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> {
                for (ReceivedMessage m : q2.receive(10)) {
                  seen.add(m.body());
                  q2.delete(m.receiptHandle());
                }
                return seen.size() == 2;
              });
      assertEquals(0, q2.depth().total());
    } finally {
      meter2.close();
      reopened.close();
    }
  }

  @Test
  void billsEveryCallPer64KbChunkIncludingEmptyReceives() {
    JdbcMessageQueue q = new JdbcMessageQueue(db, clock, meter, settings());
    q.send("x".repeat(100 * 1024), "big");
    ReceivedMessage m = q.receive(1).get(0);
    q.delete(m.receiptHandle());
    q.receive(10);
    double big = meter.records("big").stream().mapToDouble(r -> r.quantity()).sum();
    assertEquals(2 + 2 + 1, big, 1e-9, "send and receive of a 100 KB message are 2 requests each");
    var empty = meter.records("queue:work");
    assertEquals(1, empty.size());
    assertEquals(BillableUnit.QUEUE_REQUEST, empty.get(0).unit());
  }

  @Test
  void dropsMessagesOlderThanTheRetentionPeriod() {
    JdbcMessageQueue q =
        new JdbcMessageQueue(db, clock, meter, settings().withRetention(Duration.ofSeconds(60)));
    q.send("old", "r1");
    await().atMost(Duration.ofSeconds(5)).until(() -> q.depth().total() == 0);
    assertTrue(q.receive(10).isEmpty());
  }

  @Test
  void aLongPollingReceiveWakesWhenAMessageIsSent() throws Exception {
    JdbcMessageQueue q =
        new JdbcMessageQueue(
            db, new SimulatedClock(1), meter, settings().withReceiveWait(Duration.ofSeconds(20)));
    var receiving =
        CompletableFuture.supplyAsync(
            () -> q.receive(10), Executors.newVirtualThreadPerTaskExecutor());
    long start = System.nanoTime();
    q.send("wake", "r1");
    List<ReceivedMessage> got = receiving.get(5, TimeUnit.SECONDS);
    assertEquals("wake", got.get(0).body());
    assertTrue(
        System.nanoTime() - start < Duration.ofSeconds(5).toNanos(),
        "the receive returned on the send, not at the end of its 20 s wait");
  }

  @Test
  void concurrentProducersAndConsumersLoseAndDuplicateNothingAndLeaveNoRows(@TempDir Path dir)
      throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("c") + ";DB_CLOSE_DELAY=-1";
    Database fileDb = new Database(url);
    // real time: a 30 s visibility timeout, so no message is redelivered on a slow machine
    SimulatedClock realTime = SimulatedClock.realTime();
    JdbcMeter fileMeter = new JdbcMeter(fileDb, PriceTable.shipped(), realTime);
    JdbcMessageQueue q =
        new JdbcMessageQueue(
            fileDb, realTime, fileMeter, settings().withReceiveWait(Duration.ofMillis(100)));
    int producers = 4;
    int each = 500;
    Set<String> seen = ConcurrentHashMap.newKeySet();
    AtomicInteger duplicates = new AtomicInteger();
    List<Future<?>> tasks = new ArrayList<>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int p = 0; p < producers; p++) {
        int id = p;
        tasks.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < each; i++) q.send("m" + id + "-" + i, "r" + id);
                }));
      }
      for (int c = 0; c < 4; c++) {
        tasks.add(
            pool.submit(
                () -> {
                  long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                  while (seen.size() < producers * each && System.nanoTime() < deadline) {
                    for (ReceivedMessage m : q.receive(10)) {
                      if (!seen.add(m.body())) duplicates.incrementAndGet();
                      assertTrue(q.delete(m.receiptHandle()));
                    }
                  }
                }));
      }
    }
    for (var t : tasks) t.get();
    assertEquals(producers * each, seen.size());
    assertEquals(0, duplicates.get());
    assertEquals(0, q.depth().total());
    fileMeter.close();
    fileDb.close();
    Database reopened = new Database(url);
    try (var c = reopened.connection();
        var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM queue_messages")) {
      rs.next();
      assertEquals(0, rs.getLong(1), "every delete reached the database");
    } finally {
      reopened.close();
    }
  }
}
