package io.promptway.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.db.Database;
import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.metering.JdbcMeter;
import io.promptway.runtime.metering.PriceTable;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JdbcRequestStoreTest {
  private final SimulatedClock clock = SimulatedClock.realTime();
  private final Database db =
      new Database("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  private final JdbcMeter meter = new JdbcMeter(db, PriceTable.shipped(), clock);
  private final JdbcRequestStore store = new JdbcRequestStore(db, clock, Duration.ofDays(7), meter);

  @AfterEach
  void close() {
    store.close();
    meter.close();
    db.close();
  }

  private void create(String id) {
    store.create(
        new NewRequest(id, "sync", "gpt-4o-mini", "anonymous", Map.of("max_tokens", 10), 42));
  }

  @Test
  void recordsEveryTransitionInOrderWithTimestamps() {
    create("r1");
    assertTrue(store.transition("r1", RequestStatus.RECEIVED, RequestStatus.PROCESSING, "started"));
    store.note("r1", "called the model");
    assertTrue(
        store.transition(
            "r1",
            RequestStatus.PROCESSING,
            RequestStatus.COMPLETED,
            "done",
            Outcome.completed(12, 34, "text")));
    List<StatusTransition> trail = store.trail("r1");
    assertEquals(4, trail.size());
    assertEquals(RequestStatus.RECEIVED, trail.get(0).to());
    assertEquals(RequestStatus.PROCESSING, trail.get(1).to());
    assertEquals("called the model", trail.get(2).detail());
    assertEquals(RequestStatus.COMPLETED, trail.get(3).to());
    for (int i = 1; i < trail.size(); i++)
      assertFalse(trail.get(i).at().isBefore(trail.get(i - 1).at()));
    RequestRecord r = store.find("r1").orElseThrow();
    assertEquals(RequestStatus.COMPLETED, r.status());
    assertEquals(12, r.promptTokens());
    assertEquals(34, r.completionTokens());
    assertEquals("text", r.result());
    assertTrue(r.completedAt() != null);
    assertEquals(10, ((Number) r.parameters().get("max_tokens")).intValue());
  }

  @Test
  void aTrailWrittenOverSeveralBatchesReadsInOrderNumberedFromOne() {
    create("r9");
    store.trail("r9"); // waits for the first write, so the next entries go in a later one
    store.note("r9", "first note");
    store.trail("r9");
    store.note("r9", "second note");
    store.note("r9", "third\tnote with a tab");
    List<StatusTransition> trail = store.trail("r9");
    assertEquals(
        List.of(
            "accepted by the sync pattern", "first note", "second note", "third\tnote with a tab"),
        trail.stream().map(StatusTransition::detail).toList());
    assertEquals(List.of(1L, 2L, 3L, 4L), trail.stream().map(StatusTransition::seq).toList());
  }

  @Test
  void aTrailOfTheEarlierSchemaReadsTheSameAfterTheUpgrade() throws Exception {
    try (Database old = new Database("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")) {
      old.migrate("store", JdbcRequestStore.MIGRATIONS.subList(0, 2));
      try (Connection c = old.connection();
          Statement s = c.createStatement()) {
        for (String id : List.of("old", "other")) {
          s.execute(
              "INSERT INTO requests (id, pattern, status, prompt_chars, created_at, updated_at, "
                  + "expires_at) VALUES ('"
                  + id
                  + "', 'sync', 'FAILED', 3, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, "
                  + "DATEADD(DAY, 7, CURRENT_TIMESTAMP))");
        }
        s.execute(
            "INSERT INTO request_transitions (request_id, from_status, to_status, at, detail) VALUES "
                + "('old', NULL, 'RECEIVED', TIMESTAMP WITH TIME ZONE '2026-11-01 10:00:00.25+01', 'took it'), "
                + "('other', NULL, 'RECEIVED', TIMESTAMP WITH TIME ZONE '2026-11-01 10:00:01+00', 'x'), "
                + "('old', 'RECEIVED', 'FAILED', TIMESTAMP WITH TIME ZONE '2026-11-01 09:00:02.5+00', "
                + "'bad' || CHAR(10) || 'input \\ here')");
      }
      try (JdbcMeter oldMeter = new JdbcMeter(old, PriceTable.shipped(), clock);
          JdbcRequestStore upgraded =
              new JdbcRequestStore(old, clock, Duration.ofDays(7), oldMeter)) {
        assertEquals(
            List.of(
                new StatusTransition(
                    1,
                    null,
                    RequestStatus.RECEIVED,
                    Instant.parse("2026-11-01T09:00:00.25Z"),
                    "took it"),
                new StatusTransition(
                    2,
                    RequestStatus.RECEIVED,
                    RequestStatus.FAILED,
                    Instant.parse("2026-11-01T09:00:02.5Z"),
                    "bad\ninput \\ here")),
            upgraded.trail("old"));
        assertEquals(
            List.of("x"), upgraded.trail("other").stream().map(StatusTransition::detail).toList());
      }
    }
  }

  @Test
  void aNoteOnARequestThatHasLeftMemoryIsAppendedToItsTrail() {
    create("r10");
    store.transition("r10", RequestStatus.RECEIVED, RequestStatus.FAILED, "refused");
    store.trail("r10"); // the final row committed: the request leaves memory
    store.note("r10", "client answered 429");
    assertEquals(
        List.of("accepted by the sync pattern", "refused", "client answered 429"),
        store.trail("r10").stream().map(StatusTransition::detail).toList());
    assertEquals(RequestStatus.FAILED, store.find("r10").orElseThrow().status());
  }

  @Test
  void aRowMissingWhenItsRequestMovesOnIsWrittenWholeFromMemory() throws Exception {
    create("r11");
    store.trail("r11");
    try (Connection c = db.connection();
        Statement s = c.createStatement()) {
      s.execute("DELETE FROM requests WHERE id = 'r11'"); // as if its first batch had failed
    }
    store.transition("r11", RequestStatus.RECEIVED, RequestStatus.PROCESSING, "started");
    assertEquals(1, store.count());
    assertEquals(
        List.of("started"), store.trail("r11").stream().map(StatusTransition::detail).toList());
    store.transition("r11", RequestStatus.PROCESSING, RequestStatus.COMPLETED, "done");
    store.trail("r11");
    assertEquals(RequestStatus.COMPLETED, store.find("r11").orElseThrow().status());
    assertEquals(
        10, ((Number) store.find("r11").orElseThrow().parameters().get("max_tokens")).intValue());
  }

  @Test
  void aTrailThatWouldOutgrowItsColumnKeepsWhatItHasAndTheRowStillMoves() throws Exception {
    create("r12");
    store.trail("r12");
    assertTrue(store.transition("r12", RequestStatus.RECEIVED, RequestStatus.PROCESSING, "go"));
    String big = "x".repeat(2048);
    for (int i = 0; i < 500; i++) store.note("r12", big); // about 1 MB of trail
    assertTrue(store.trail("r12").size() < 502, "the trail stays within its column");
    try (Connection c = db.connection();
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT status FROM requests WHERE id = 'r12'")) {
      rs.next();
      assertEquals("PROCESSING", rs.getString(1), "the row's other changes were written");
    }
    store.transition("r12", RequestStatus.PROCESSING, RequestStatus.COMPLETED, "done");
    assertEquals("done", store.trail("r12").getLast().detail());
  }

  @Test
  void aTransitionCanNameAnotherModelThatServesTheRequestAndTheRowKeepsIt() {
    create("r13");
    store.transition(
        "r13",
        RequestStatus.RECEIVED,
        RequestStatus.PROCESSING,
        "routed to fast-processor (gpt-4o)",
        Outcome.attempts(1).withModel("gpt-4o"));
    assertEquals("gpt-4o", store.find("r13").orElseThrow().model());
    store.transition("r13", RequestStatus.PROCESSING, RequestStatus.COMPLETED, "done");
    store.close();

    JdbcRequestStore reopened = new JdbcRequestStore(db, clock, Duration.ofDays(7), meter);
    try {
      assertEquals("gpt-4o", reopened.find("r13").orElseThrow().model());
    } finally {
      reopened.close();
    }
  }

  @Test
  void aConditionalTransitionFailsWhenAnotherWriterGotThereFirst() {
    create("r2");
    store.transition("r2", RequestStatus.RECEIVED, RequestStatus.PROCESSING, "started");
    assertTrue(store.transition("r2", RequestStatus.PROCESSING, RequestStatus.TIMED_OUT, "504"));
    assertFalse(
        store.transition("r2", RequestStatus.PROCESSING, RequestStatus.COMPLETED, "too late"));
    assertEquals(RequestStatus.TIMED_OUT, store.find("r2").orElseThrow().status());
    assertEquals(3, store.trail("r2").size(), "the losing write left no trace");
  }

  @Test
  void exactlyOneOfManyConcurrentWritersWins() throws Exception {
    create("r3");
    store.transition("r3", RequestStatus.RECEIVED, RequestStatus.PROCESSING, "started");
    int writers = 16;
    CountDownLatch go = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
      List<Future<Boolean>> results =
          IntStream.range(0, writers)
              .mapToObj(
                  i ->
                      pool.submit(
                          () -> {
                            go.await();
                            RequestStatus to =
                                i % 2 == 0 ? RequestStatus.COMPLETED : RequestStatus.FAILED;
                            return store.transition(
                                "r3", RequestStatus.PROCESSING, to, "writer " + i);
                          }))
              .toList();
      go.countDown();
      long winners = 0;
      for (Future<Boolean> f : results) if (f.get()) winners++;
      assertEquals(1, winners);
    }
    assertEquals(3, store.trail("r3").size());
  }

  @Test
  void illegalTransitionsAreRefused() {
    create("r4");
    assertThrows(
        IllegalStateException.class,
        () ->
            store.transition(
                "r4", RequestStatus.COMPLETED, RequestStatus.PROCESSING, "back from the dead"));
  }

  @Test
  void expiredRowsAreHiddenAndDeletedByTtl() {
    JdbcRequestStore shortLived = new JdbcRequestStore(db, clock, Duration.ofMillis(1), meter);
    shortLived.create(new NewRequest("old", "sync", "m", "a", Map.of(), 1));
    shortLived.close(); // writes its row and trail before the other store sweeps
    create("fresh");
    int deleted = store.expire(Instant.now().plusSeconds(1));
    assertEquals(1, deleted);
    assertTrue(store.find("old").isEmpty());
    assertTrue(store.trail("old").isEmpty());
    assertTrue(store.find("fresh").isPresent());
  }

  @Test
  void aSweepDeletesEveryExpiredRowChunkByChunk() {
    JdbcRequestStore shortLived = new JdbcRequestStore(db, clock, Duration.ofMillis(1), meter);
    for (int i = 0; i < 10; i++)
      shortLived.create(new NewRequest("old" + i, "sync", "m", "a", Map.of(), 1));
    shortLived.close();
    create("fresh");

    assertEquals(10, store.expire(Instant.now().plusSeconds(1), 3));
    assertEquals(1, store.count());
    assertTrue(store.find("fresh").isPresent());
    assertEquals(0, store.expire(Instant.now().plusSeconds(1), 3));
  }

  @Test
  void writesAndReadsAreMeteredAsStateUnits() {
    create("r5");
    store.find("r5");
    var units = meter.records("r5").stream().map(r -> r.unit()).toList();
    assertTrue(units.contains(BillableUnit.STATE_WRITE_UNIT));
    assertTrue(units.contains(BillableUnit.STATE_READ_UNIT));
  }

  @Test
  void everyChangeIsInTheDatabaseAfterCloseAndAnOpenRequestCarriesOnInANewStore() {
    create("r-open");
    create("r-done");
    store.transition("r-open", RequestStatus.RECEIVED, RequestStatus.QUEUED, "queued");
    store.transition("r-done", RequestStatus.RECEIVED, RequestStatus.PROCESSING, "started");
    store.transition(
        "r-done",
        RequestStatus.PROCESSING,
        RequestStatus.COMPLETED,
        "done",
        Outcome.completed(3, 4, "answer"));
    store.close();

    JdbcRequestStore reopened = new JdbcRequestStore(db, clock, Duration.ofDays(7), meter);
    try {
      RequestRecord done = reopened.find("r-done").orElseThrow();
      assertEquals(RequestStatus.COMPLETED, done.status());
      assertEquals("answer", done.result());
      assertEquals(2, done.version());
      assertEquals(3, reopened.trail("r-done").size());
      assertTrue(
          reopened.transition("r-open", RequestStatus.QUEUED, RequestStatus.PROCESSING, "resumed"));
      assertFalse(
          reopened.transition("r-open", RequestStatus.QUEUED, RequestStatus.PROCESSING, "twice"));
      assertFalse(
          reopened.transition(
              "r-done", RequestStatus.PROCESSING, RequestStatus.FAILED, "after the end"));
      assertEquals(RequestStatus.PROCESSING, reopened.find("r-open").orElseThrow().status());
      assertEquals(3, reopened.trail("r-open").size());
      assertEquals(2, reopened.count());
    } finally {
      reopened.close();
    }
  }

  @Test
  void aFinishedRequestIsStillFoundOnceItHasLeftMemory() {
    for (int i = 0; i < 200; i++) {
      String id = "f" + i;
      create(id);
      store.transition(id, RequestStatus.RECEIVED, RequestStatus.PROCESSING, "started");
      store.transition(
          id, RequestStatus.PROCESSING, RequestStatus.FAILED, "bad", Outcome.failed("x", "y"));
    }
    assertEquals(200, store.count());
    for (int i = 0; i < 200; i++) {
      RequestRecord r = store.find("f" + i).orElseThrow();
      assertEquals(RequestStatus.FAILED, r.status());
      assertEquals("x", r.errorCode());
    }
  }
}
