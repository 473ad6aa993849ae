package io.promptway.runtime.bus;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.db.Database;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.metering.JdbcMeter;
import io.promptway.runtime.metering.PriceTable;
import io.promptway.runtime.queue.JdbcMessageQueue;
import io.promptway.runtime.queue.QueueSettings;
import io.promptway.runtime.queue.ReceivedMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InProcessEventBusTest {
  private final SimulatedClock clock = new SimulatedClock(1000);
  private final Database db =
      new Database("jdbc:h2:mem:bus-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  private final JdbcMeter meter = new JdbcMeter(db, PriceTable.shipped(), clock);
  private final JdbcMessageQueue dlq =
      new JdbcMessageQueue(
          db,
          clock,
          meter,
          new QueueSettings(
              "events-dlq",
              "eventbus",
              Duration.ofSeconds(30),
              1000,
              Duration.ofDays(14),
              1 << 20,
              Duration.ZERO,
              null));
  private InProcessEventBus bus;

  @AfterEach
  void close() {
    if (bus != null) bus.close();
    meter.close();
    db.close();
  }

  private InProcessEventBus bus(Rule... rules) {
    bus =
        new InProcessEventBus(
            db,
            clock,
            meter,
            List.of(rules),
            new RetryPolicy(3, Duration.ofHours(24), Duration.ofSeconds(1), Duration.ofSeconds(60)),
            dlq,
            1);
    return bus;
  }

  private static Rule rule(String name, String pattern, String... targets) throws Exception {
    return new Rule(
        name, null, Json.mapper().readTree(pattern.replace('\'', '"')), List.of(targets));
  }

  private static CloudEvent event(int priority) {
    JsonNode data =
        Json.mapper().valueToTree(Map.of("request_id", "r" + priority, "priority", priority));
    return CloudEvent.of("/test", "io.promptway.request.created", Instant.now(), data);
  }

  @Test
  void fansOutOneEventToEveryTargetOfTheMatchingRule() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    InProcessEventBus b =
        bus(rule("all", "{'type':[{'prefix':'io.promptway.'}]}", "first", "second"));
    b.registerTarget("first", (e, n) -> seen.add("first:" + e.id()));
    b.registerTarget("second", (e, n) -> seen.add("second:" + e.id()));
    CloudEvent e = event(3);
    assertEquals(List.of("all"), b.publish(e, "r3", "eventbus"));
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
    assertTrue(seen.containsAll(List.of("first:" + e.id(), "second:" + e.id())));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                b.archive("r3").stream()
                        .filter(a -> a.kind() == ArchiveEntry.Kind.DELIVERED)
                        .count()
                    == 2);
    assertEquals(ArchiveEntry.Kind.PUBLISHED, b.archive("r3").get(0).kind());
    assertEquals(
        1.0,
        meter.records("r3").stream()
            .filter(r -> r.unit() == BillableUnit.BUS_EVENT)
            .mapToDouble(r -> r.quantity())
            .sum());
  }

  @Test
  void routesByNumericPriority() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    InProcessEventBus b =
        bus(
            rule("high", "{'data':{'priority':[{'numeric':['>',5]}]}}", "fast"),
            rule("low", "{'data':{'priority':[{'numeric':['<=',5]}]}}", "slow"));
    b.registerTarget("fast", (e, n) -> seen.add("fast:" + e.data().get("priority")));
    b.registerTarget("slow", (e, n) -> seen.add("slow:" + e.data().get("priority")));
    assertEquals(List.of("high"), b.publish(event(9), "r9", "eventbus"));
    assertEquals(List.of("low"), b.publish(event(5), "r5", "eventbus"));
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
    assertTrue(seen.containsAll(List.of("fast:9", "slow:5")));
  }

  @Test
  void retriesAFailingTargetThenSendsTheEventToTheDeadLetterQueue() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    InProcessEventBus b = bus(rule("all", "{'type':['io.promptway.request.created']}", "broken"));
    b.registerTarget(
        "broken",
        (e, n) -> {
          calls.incrementAndGet();
          throw new IllegalStateException("target down");
        });
    CloudEvent e = event(1);
    b.publish(e, "r1", "eventbus");
    await().atMost(Duration.ofSeconds(10)).until(() -> dlq.depth().total() == 1);
    // the archive records the dead-lettering once the letter is queued: wait for it too
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                b.archive("r1").stream()
                    .anyMatch(a -> a.kind() == ArchiveEntry.Kind.DEAD_LETTERED));
    assertEquals(3, calls.get());
    ReceivedMessage letter = dlq.receive(1).get(0);
    JsonNode body = Json.mapper().readTree(letter.body());
    assertEquals("broken", body.get("target").asText());
    assertEquals(e.id(), body.get("event").get("id").asText());
    assertEquals("target down", body.get("error").asText());
    List<ArchiveEntry.Kind> kinds = b.archive("r1").stream().map(ArchiveEntry::kind).toList();
    assertEquals(
        List.of(
            ArchiveEntry.Kind.PUBLISHED,
            ArchiveEntry.Kind.MATCHED,
            ArchiveEntry.Kind.FAILED,
            ArchiveEntry.Kind.FAILED,
            ArchiveEntry.Kind.FAILED,
            ArchiveEntry.Kind.DEAD_LETTERED),
        kinds);
  }

  @Test
  void aNewBusRedeliversTheEventsTheBusBeforeItWasDeliveringWhenItClosed() throws Exception {
    Rule all = rule("all", "{'type':['io.promptway.request.created']}", "worker");
    CountDownLatch started = new CountDownLatch(1);
    InProcessEventBus first = bus(all);
    first.registerTarget(
        "worker",
        (e, n) -> {
          started.countDown();
          new CountDownLatch(1).await(); // until the bus closes
        });
    CloudEvent e = event(4);
    first.publish(e, "r4", "eventbus");
    assertTrue(started.await(5, TimeUnit.SECONDS));
    first.close();

    List<String> seen = new CopyOnWriteArrayList<>();
    InProcessEventBus second = bus(all);
    second.registerTarget("worker", (ev, n) -> seen.add(ev.id() + " " + ev.data() + " " + n));
    assertEquals(1, second.redeliverUnfinished());
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
    assertEquals(e.id() + " " + e.data() + " 1", seen.get(0));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                second.archive("r4").stream()
                    .anyMatch(a -> a.kind() == ArchiveEntry.Kind.DELIVERED));
    second.close();
    assertEquals(0, bus(all).redeliverUnfinished(), "a delivered event is not redelivered");
  }

  @Test
  void writesCloudEventsOneZeroJson() throws Exception {
    JsonNode json = event(2).toJsonNode();
    for (String attr :
        List.of("specversion", "id", "source", "type", "time", "datacontenttype", "data")) {
      assertTrue(json.has(attr), attr);
    }
    assertEquals("1.0", json.get("specversion").asText());
  }
}
