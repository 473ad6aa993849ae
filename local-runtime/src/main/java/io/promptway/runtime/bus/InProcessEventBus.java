package io.promptway.runtime.bus;

import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.db.Database;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.metering.Meter;
import io.promptway.runtime.queue.JdbcMessageQueue;
import io.promptway.runtime.queue.MessageQueue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An event bus inside the runtime. Publishing bills one event per 64 KB chunk, archives the event,
 * and delivers it on virtual threads to every target of every matching rule; a failed delivery is
 * retried under the {@link RetryPolicy} and, once retries or the event's age run out, sent to the
 * dead-letter queue with the error. Every step is written to the archive.
 *
 * <p>The archive is durable and keeps each event whole, so a delivery that a stop cut short (in
 * flight, or a retry waiting) is not lost: {@link #redeliverUnfinished()} sends it again at the
 * next start, as the attempt after the last one that failed.
 *
 * <p>Not modelled: event buses other than one default bus, input transformers, cross-account
 * targets, and replaying the archive on demand.
 */
public final class InProcessEventBus implements EventBus, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(InProcessEventBus.class.getName());
  private static final List<List<String>> MIGRATIONS =
      List.of(
          List.of(
              "CREATE TABLE IF NOT EXISTS bus_archive ("
                  + "seq BIGINT AUTO_INCREMENT PRIMARY KEY, event_id VARCHAR(64) NOT NULL, request_id VARCHAR(64), "
                  + "kind VARCHAR(16) NOT NULL, rule VARCHAR(128), target VARCHAR(128), attempt INT, "
                  + "detail VARCHAR(2048), event VARCHAR(1048576), at BIGINT NOT NULL)",
              "CREATE INDEX IF NOT EXISTS bus_archive_request ON bus_archive(request_id)",
              "CREATE INDEX IF NOT EXISTS bus_archive_event ON bus_archive(event_id)"));

  private final Database db;
  private final SimulatedClock clock;
  private final Meter meter;
  private final List<Rule> rules;
  private final Map<String, EventPattern> patterns = new LinkedHashMap<>();
  private final RetryPolicy retry;
  private final MessageQueue deadLetters;
  private final Random random;
  private final Map<String, EventTarget> targets = new ConcurrentHashMap<>();
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("bus-retry").unstarted(r));
  private final long archivedBeforeStart;
  private volatile boolean stopping;

  public InProcessEventBus(
      Database db,
      SimulatedClock clock,
      Meter meter,
      List<Rule> rules,
      RetryPolicy retry,
      MessageQueue deadLetters,
      long seed) {
    this.db = db;
    this.clock = clock;
    this.meter = meter;
    this.rules = List.copyOf(rules);
    for (Rule r : this.rules) {
      if (patterns.put(r.name(), r.compiled()) != null) {
        throw new IllegalArgumentException("two bus rules are named " + r.name());
      }
    }
    this.retry = retry;
    this.deadLetters = deadLetters;
    this.random = new Random(seed);
    db.migrate("bus", MIGRATIONS);
    this.archivedBeforeStart =
        db.list(
                "the bus archive",
                "SELECT COALESCE(MAX(seq), 0) FROM bus_archive",
                rs -> rs.getLong(1))
            .get(0);
  }

  @Override
  public void registerTarget(String name, EventTarget target) {
    targets.put(name, target);
  }

  /** Names of targets some rule refers to that nobody registered (a configuration error). */
  public List<String> missingTargets() {
    List<String> missing = new ArrayList<>();
    for (Rule r : rules)
      for (String t : r.targets())
        if (!targets.containsKey(t) && !missing.contains(t)) missing.add(t);
    return missing;
  }

  /**
   * Redelivers every delivery the last runtime on this database left unfinished (in flight or
   * waiting for a retry when it stopped), each as the attempt after the last archived as failed;
   * one whose retries had already run out goes to the dead-letter queue. Call once, after every
   * target is registered; returns how many deliveries it restarted or dead-lettered.
   */
  public int redeliverUnfinished() {
    Map<String, List<String>> targetsByRule = new LinkedHashMap<>();
    for (Rule r : rules) targetsByRule.put(r.name(), r.targets());
    var unfinished = UnfinishedDeliveries.find(db, archivedBeforeStart, targetsByRule);
    Map<String, CloudEvent> events = new LinkedHashMap<>();
    int restarted = 0;
    for (var u : unfinished) {
      CloudEvent event = events.computeIfAbsent(u.eventId(), this::publishedEvent);
      if (event == null) {
        LOG.warning("event " + u.eventId() + " has no archived copy and cannot be redelivered");
        continue;
      }
      Instant published = u.matchedAt().isAfter(clock.now()) ? clock.now() : u.matchedAt();
      Delivery d = new Delivery(event, u.requestId(), u.rule(), u.target(), published);
      int attempt = u.failedAttempts() + 1;
      if (attempt > retry.maxAttempts()) {
        deadLetter(d, u.failedAttempts(), "the runtime stopped before the event was dead-lettered");
      } else {
        workers.execute(() -> deliver(d, attempt));
      }
      restarted++;
    }
    if (restarted > 0) LOG.info("redelivering " + restarted + " deliveries a stop left unfinished");
    return restarted;
  }

  private CloudEvent publishedEvent(String eventId) {
    List<String> json =
        db.list(
            "the bus archive",
            "SELECT event FROM bus_archive WHERE event_id = ? AND kind = 'PUBLISHED'",
            rs -> rs.getString(1),
            eventId);
    if (json.isEmpty() || json.get(0) == null) return null;
    try {
      return Json.mapper().readValue(json.get(0), CloudEvent.class);
    } catch (IOException | IllegalArgumentException e) {
      LOG.log(Level.WARNING, "the archived event " + eventId + " cannot be read", e);
      return null;
    }
  }

  /** True once the bus is closing: a delivery failing now is the stop's doing, not the target's. */
  public boolean stopping() {
    return stopping;
  }

  @Override
  public List<String> publish(CloudEvent event, String requestId, String pattern) {
    String json = event.toJson();
    long bytes = json.getBytes(StandardCharsets.UTF_8).length;
    meter.record(requestId, pattern, BillableUnit.BUS_EVENT, JdbcMessageQueue.chunks(bytes));
    archive(event.id(), requestId, ArchiveEntry.Kind.PUBLISHED, null, null, null, null, json);
    var node = event.toJsonNode();
    List<String> matched = new ArrayList<>();
    for (Rule r : rules) {
      if (!patterns.get(r.name()).matches(node)) continue;
      matched.add(r.name());
      archive(
          event.id(),
          requestId,
          ArchiveEntry.Kind.MATCHED,
          r.name(),
          null,
          null,
          "targets " + r.targets(),
          null);
      for (String target : r.targets()) {
        Delivery d = new Delivery(event, requestId, r.name(), target, clock.now());
        workers.execute(() -> deliver(d, 1));
      }
    }
    if (matched.isEmpty()) {
      archive(
          event.id(),
          requestId,
          ArchiveEntry.Kind.UNMATCHED,
          null,
          null,
          null,
          "no rule matched",
          null);
    }
    return matched;
  }

  private void deliver(Delivery d, int attempt) {
    EventTarget target = targets.get(d.target);
    try {
      if (target == null)
        throw new IllegalStateException("no target named " + d.target + " is registered");
      target.deliver(d.event, attempt);
      archive(
          d.event.id(),
          d.requestId,
          ArchiveEntry.Kind.DELIVERED,
          d.rule,
          d.target,
          attempt,
          null,
          null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      failed(d, attempt, e);
    }
  }

  private void failed(Delivery d, int attempt, Exception e) {
    if (stopping) return; // the next start redelivers it as this same attempt
    String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Duration delay = retry.delayBefore(attempt + 1, random.nextDouble());
    Duration age = Duration.between(d.publishedAt, clock.now().plus(delay));
    if (attempt >= retry.maxAttempts() || age.compareTo(retry.maxEventAge()) > 0) {
      archive(
          d.event.id(),
          d.requestId,
          ArchiveEntry.Kind.FAILED,
          d.rule,
          d.target,
          attempt,
          error,
          null);
      deadLetter(d, attempt, error);
      return;
    }
    archive(
        d.event.id(),
        d.requestId,
        ArchiveEntry.Kind.FAILED,
        d.rule,
        d.target,
        attempt,
        error
            + "; retry "
            + (attempt + 1)
            + "/"
            + retry.maxAttempts()
            + " in "
            + delay.toMillis()
            + " ms",
        null);
    timer.schedule(
        () -> workers.execute(() -> deliver(d, attempt + 1)),
        clock.toRealNanos(delay),
        TimeUnit.NANOSECONDS);
  }

  private void deadLetter(Delivery d, int attempts, String error) {
    Map<String, Object> letter = new LinkedHashMap<>();
    letter.put("rule", d.rule);
    letter.put("target", d.target);
    letter.put("attempts", attempts);
    letter.put("error", error);
    letter.put("event", d.event);
    try {
      deadLetters.send(Json.text(letter), d.requestId);
      archive(
          d.event.id(),
          d.requestId,
          ArchiveEntry.Kind.DEAD_LETTERED,
          d.rule,
          d.target,
          attempts,
          "sent to queue " + deadLetters.name() + " after " + attempts + " attempts",
          null);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "event " + d.event.id() + " could not be dead-lettered and is lost", e);
    }
  }

  @Override
  public List<Rule> rules() {
    return rules;
  }

  public RetryPolicy retryPolicy() {
    return retry;
  }

  public MessageQueue deadLetterQueue() {
    return deadLetters;
  }

  @Override
  public List<ArchiveEntry> archive(String requestId) {
    return db.list(
        "the bus archive",
        "SELECT seq, event_id, request_id, kind, rule, target, attempt, detail, event, at FROM bus_archive "
            + "WHERE request_id = ? ORDER BY seq",
        rs -> {
          int attempt = rs.getInt(7);
          Integer a = rs.wasNull() ? null : attempt;
          return new ArchiveEntry(
              rs.getLong(1),
              rs.getString(2),
              rs.getString(3),
              ArchiveEntry.Kind.valueOf(rs.getString(4)),
              rs.getString(5),
              rs.getString(6),
              a,
              rs.getString(8),
              rs.getString(9),
              Instant.ofEpochMilli(rs.getLong(10)));
        },
        requestId);
  }

  private void archive(
      String eventId,
      String requestId,
      ArchiveEntry.Kind kind,
      String rule,
      String target,
      Integer attempt,
      String detail,
      String event) {
    try (Connection c = db.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO bus_archive (event_id, request_id, kind, rule, target, attempt, detail, event, at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, eventId);
      ps.setString(2, requestId);
      ps.setString(3, kind.name());
      ps.setString(4, rule);
      ps.setString(5, target);
      if (attempt == null) ps.setNull(6, Types.INTEGER);
      else ps.setInt(6, attempt);
      ps.setString(
          7, detail == null || detail.length() <= 2048 ? detail : detail.substring(0, 2048));
      ps.setString(8, event);
      ps.setLong(9, clock.now().toEpochMilli());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new Database.DatabaseException("cannot write the bus archive: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    stopping = true;
    timer.shutdownNow();
    workers.shutdownNow();
    try {
      workers.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Delivery(
      CloudEvent event, String requestId, String rule, String target, Instant publishedAt) {}
}
