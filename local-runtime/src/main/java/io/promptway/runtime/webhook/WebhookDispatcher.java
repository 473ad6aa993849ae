package io.promptway.runtime.webhook;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.ClientConnection;
import io.helidon.webclient.api.HttpClientResponse;
import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.config.RuntimeConfig;
import io.promptway.runtime.db.Database;
import io.promptway.runtime.db.GroupCommit;
import io.promptway.runtime.db.Statements;
import io.promptway.runtime.db.WriteBehind;
import io.promptway.runtime.http.KeepAliveConnections;
import io.promptway.runtime.http.Lazy;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers signed webhooks, durably: each message is a row (so pending deliveries resume after a
 * restart, and a delivery is accepted only once its row is committed), each attempt is logged
 * (written behind: after a crash the last attempts may be made again, with the same id), failures
 * are retried on the configured schedule with jitter (never sooner than a {@code Retry-After} the
 * receiver sent, up to the schedule's longest step: a receiver cannot park a message for years), a
 * {@code 410 Gone} disables the endpoint for good, and a message whose last attempt failed lands in
 * the dead-letter list. The same {@code webhook-id} is sent on every attempt; the timestamp and
 * signature are fresh each time, and the signed {@code webhook-timestamp} is the wall clock even at
 * a time scale, as verifiers require. Redirects are not followed, and the allow-list is checked
 * again before every attempt.
 *
 * <p>Not modelled: per-endpoint rate limits, batching, or the billing of the sender's compute
 * (callbacks are sent by the platform here, not by a metered function).
 */
public final class WebhookDispatcher implements AutoCloseable {
  /** Why no answer came, in words: the receiver's operator reads this, not a Java trace. */
  static String unreachable(Throwable e) {
    Throwable last = e;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) return "connection refused";
      if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException)
        return "unknown host";
      if (t instanceof SocketTimeoutException) return "connection timed out";
      last = t;
    }
    String message = last.getMessage();
    return message == null || message.isBlank()
        ? "the connection failed (" + last.getClass().getSimpleName() + ")"
        : "the connection failed: " + message;
  }

  private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class.getName());
  private static final List<List<String>> MIGRATIONS =
      List.of(
          List.of(
              "CREATE TABLE IF NOT EXISTS webhook_deliveries ("
                  + "id VARCHAR(80) PRIMARY KEY, request_id VARCHAR(64), url VARCHAR(2048) NOT NULL, "
                  + "event_type VARCHAR(128), body VARCHAR(1048576) NOT NULL, status VARCHAR(16) NOT NULL, "
                  + "attempts INT DEFAULT 0 NOT NULL, created_at BIGINT NOT NULL, next_attempt_at BIGINT, "
                  + "last_status INT, last_error VARCHAR(1024))",
              "CREATE INDEX IF NOT EXISTS webhook_deliveries_request ON webhook_deliveries(request_id)",
              "CREATE INDEX IF NOT EXISTS webhook_deliveries_status ON webhook_deliveries(status)",
              "CREATE TABLE IF NOT EXISTS webhook_attempts ("
                  + "seq BIGINT AUTO_INCREMENT PRIMARY KEY, webhook_id VARCHAR(80) NOT NULL, "
                  + "request_id VARCHAR(64), attempt INT NOT NULL, at BIGINT NOT NULL, status_code INT, "
                  + "error VARCHAR(1024), duration_ms DOUBLE PRECISION NOT NULL, next_attempt_at BIGINT)",
              "CREATE INDEX IF NOT EXISTS webhook_attempts_request ON webhook_attempts(request_id)",
              "CREATE TABLE IF NOT EXISTS webhook_disabled_endpoints ("
                  + "url VARCHAR(2048) PRIMARY KEY, disabled_at BIGINT NOT NULL, reason VARCHAR(1024))"));
  private static final HeaderName ID_HEADER = HeaderNames.create(WebhookSigner.ID);
  private static final HeaderName TIMESTAMP_HEADER = HeaderNames.create(WebhookSigner.TIMESTAMP);
  private static final HeaderName SIGNATURE_HEADER = HeaderNames.create(WebhookSigner.SIGNATURE);
  private static final Duration MIN_REAL_TIMEOUT = Duration.ofSeconds(2);
  private static final int MAX_IDLE_PER_RECEIVER = 256;
  private static final long MAX_IDLE_NANOS = Duration.ofSeconds(30).toNanos();
  private static final String COLUMNS =
      "id, request_id, url, event_type, status, attempts, created_at, next_attempt_at, last_status, last_error";

  private final Database db;
  private final SimulatedClock clock;
  private final WebhookSigner signer;
  private final CallbackAllowList allowList;
  private final RuntimeConfig.Webhook config;
  private final Duration longestRetryAfter;
  private final Random jitter;
  private final ScheduledExecutorService timer;
  private final Lazy<KeepAliveConnections> connections; // built on first delivery, not at start-up
  private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
  private final Set<String> scheduled = ConcurrentHashMap.newKeySet();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final Set<String> disabled = ConcurrentHashMap.newKeySet();
  private final GroupCommit<Write> writes;
  // An attempt's outcome is written behind: a crash may lose the last few, and those deliveries,
  // still pending in the table, are attempted again after the restart with the same webhook-id,
  // which receivers de-duplicate on. Only accepting a delivery waits for its commit.
  private final WriteBehind<Outcome> outcomes;

  /** What one attempt did to its delivery: a row for the attempt log and the delivery's state. */
  private record Outcome(
      String webhookId,
      String requestId,
      int attempt,
      long at,
      WebhookDelivery.Status status,
      Integer code,
      String error,
      double ms,
      Long nextAttemptAt) {}

  /** One durable write of delivery state; {@code result} is its row count once committed. */
  private static final class Write {
    final Apply apply;
    int result;

    Write(Apply apply) {
      this.apply = apply;
    }
  }

  private interface Apply {
    int apply(Statements s) throws SQLException;
  }

  private volatile boolean closed;

  public WebhookDispatcher(
      Database db,
      SimulatedClock clock,
      WebhookSigner signer,
      CallbackAllowList allowList,
      RuntimeConfig.Webhook config,
      long seed) {
    this.db = db;
    this.clock = clock;
    this.signer = signer;
    this.allowList = allowList;
    this.config = config;
    this.longestRetryAfter = Collections.max(config.retrySchedule());
    this.jitter = new Random(seed);
    var timer =
        new ScheduledThreadPoolExecutor(
            1, r -> Thread.ofPlatform().daemon().name("webhook-timer").unstarted(r));
    timer.setRemoveOnCancelPolicy(true); // a deadline is cancelled on almost every delivery
    this.timer = timer;
    this.connections =
        new Lazy<>(
            () ->
                new KeepAliveConnections(
                    KeepAliveConnections.clientBuilder()
                        .followRedirects(false)
                        .connectTimeout(realTimeout(clock.toReal(config.timeout())))
                        .build(),
                    MAX_IDLE_PER_RECEIVER,
                    MAX_IDLE_NANOS,
                    System::nanoTime));
    db.migrate("webhook", MIGRATIONS);
    this.writes =
        new GroupCommit<>(
            db,
            "webhook state",
            (statements, batch) -> {
              for (Write w : batch) w.result = w.apply.apply(statements);
            });
    this.outcomes = new WriteBehind<>(db, "webhook-attempts", this::writeOutcomes);
    loadDisabled();
  }

  /** A delivery this run queued, kept in memory so attempts need not read it back. */
  private record Pending(WebhookDelivery delivery, String body) {}

  /**
   * Attempts every delivery left pending by a previous run at once: that run's simulated clock may
   * have run ahead of this one, so its scheduled times mean nothing here.
   */
  public void start() {
    Instant now = clock.now();
    for (WebhookDelivery d : query("WHERE status = 'PENDING'", List.of())) schedule(d.id(), now);
  }

  public WebhookSigner signer() {
    return signer;
  }

  public CallbackAllowList allowList() {
    return allowList;
  }

  /**
   * Queues a webhook; a second call with the same {@code webhookId} changes nothing (returns
   * false), so a worker that completes a request twice still sends one message.
   */
  public boolean enqueue(
      String webhookId, String requestId, String url, String eventType, String body) {
    Instant now = clock.now();
    if (pending.containsKey(webhookId)) return false;
    int inserted =
        run(
            c -> {
              PreparedStatement ps =
                  c.get(
                      "INSERT INTO webhook_deliveries (id, request_id, url, event_type, body, status, "
                          + "created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, 'PENDING', ?, ?)");
              try {
                ps.setString(1, webhookId);
                ps.setString(2, requestId);
                ps.setString(3, url);
                ps.setString(4, eventType);
                ps.setString(5, body);
                ps.setLong(6, now.toEpochMilli());
                ps.setLong(7, now.toEpochMilli());
                return ps.executeUpdate();
              } catch (SQLException e) {
                if (e.getErrorCode() == 23505) return 0;
                throw e;
              }
            });
    if (inserted == 0) return false;
    pending.put(
        webhookId,
        new Pending(
            new WebhookDelivery(
                webhookId,
                requestId,
                url,
                eventType,
                WebhookDelivery.Status.PENDING,
                0,
                now,
                now,
                null,
                null),
            body));
    schedule(webhookId, now);
    return true;
  }

  public List<WebhookDelivery> deliveries(String requestId) {
    return query("WHERE request_id = ? ORDER BY created_at", List.of(requestId));
  }

  public List<WebhookDelivery> deadLetters(int limit) {
    return query(
        "WHERE status = 'DEAD' ORDER BY next_attempt_at DESC, created_at DESC LIMIT " + limit,
        List.of());
  }

  public List<DeliveryAttempt> attempts(String requestId) {
    outcomes.flush();
    return db.list(
        "webhook attempts",
        "SELECT webhook_id, attempt, at, status_code, error, duration_ms, next_attempt_at "
            + "FROM webhook_attempts WHERE request_id = ? ORDER BY seq",
        rs -> {
          int code = rs.getInt(4);
          Integer status = rs.wasNull() ? null : code;
          long next = rs.getLong(7);
          Instant nextAt = rs.wasNull() ? null : Instant.ofEpochMilli(next);
          return new DeliveryAttempt(
              rs.getString(1),
              rs.getInt(2),
              Instant.ofEpochMilli(rs.getLong(3)),
              status,
              rs.getString(5),
              rs.getDouble(6),
              nextAt);
        },
        requestId);
  }

  public boolean endpointDisabled(String url) {
    return disabled.contains(url);
  }

  private void loadDisabled() {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("SELECT url FROM webhook_disabled_endpoints");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) disabled.add(rs.getString(1));
    } catch (SQLException e) {
      throw failure("read disabled endpoints", e);
    }
  }

  private void schedule(String id, Instant at) {
    if (closed || !scheduled.add(id)) return;
    long delayNanos = Math.max(0, clock.toRealNanos(Duration.between(clock.now(), at)));
    if (delayNanos == 0) senders.execute(() -> attempt(id));
    else timer.schedule(() -> senders.execute(() -> attempt(id)), delayNanos, TimeUnit.NANOSECONDS);
  }

  private void attempt(String id) {
    scheduled.remove(id);
    if (closed) return;
    Pending known;
    WebhookDelivery d;
    try {
      known = pending.get(id);
      d = known != null ? known.delivery() : find(id);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "webhook " + id + " could not be read for its attempt", e);
      return;
    }
    if (d == null || d.status() != WebhookDelivery.Status.PENDING) return;
    int attempt = d.attempts() + 1;
    try {
      if (endpointDisabled(d.url())) {
        finish(
            d,
            attempt,
            WebhookDelivery.Status.DEAD,
            null,
            "endpoint disabled after an earlier 410 Gone",
            0,
            null);
        return;
      }
      if (!allowList.allows(d.url())) {
        finish(
            d,
            attempt,
            WebhookDelivery.Status.DEAD,
            null,
            "callback host no longer in the allow-list",
            0,
            null);
        return;
      }
      send(d, attempt, known != null ? known.body() : body(id));
    } catch (RuntimeException e) {
      if (closed) return;
      // Left pending, the delivery would fail the same way after every restart: it ends here.
      LOG.log(Level.WARNING, "webhook " + id + " attempt failed unexpectedly", e);
      finish(
          d,
          attempt,
          WebhookDelivery.Status.DEAD,
          null,
          "the runtime failed while making the attempt: " + e,
          0,
          null);
    }
  }

  private void send(WebhookDelivery d, int attempt, String body) {
    // Verifiers refuse a timestamp more than minutes off their clock: this one is real, not
    // simulated (the body's own timestamp is simulated, as every time the runtime reports).
    long timestamp = clock.realNow().getEpochSecond();
    long start = clock.nanos();
    Integer code = null;
    String error = null;
    Duration retryAfter = null;
    Duration timeout = realTimeout(clock.toReal(config.timeout()));
    URI uri = URI.create(d.url());
    // The timeout closes the connection from the timer instead of being a socket timeout: a timed
    // read parks the virtual thread with a timer of the JDK's, armed and cancelled per read.
    AtomicBoolean timedOut = new AtomicBoolean();
    AtomicReference<ClientConnection> current = new AtomicReference<>();
    ScheduledFuture<?> deadline =
        timer.schedule(
            () -> {
              timedOut.set(true);
              ClientConnection c = current.get();
              if (c != null) c.closeResource();
            },
            timeout.toNanos(),
            TimeUnit.NANOSECONDS);
    try {
      for (int tries = 1; ; tries++) {
        // A kept-alive connection the receiver closed without saying so (an HTTP/1.0 server closes
        // after every answer) fails before any answer: the second try takes a new connection.
        ClientConnection connection =
            tries == 1 ? connections.get().borrow(uri) : connections.get().connect(uri);
        current.set(connection);
        if (timedOut.get()) connection.closeResource();
        try (HttpClientResponse response =
            connections
                .get()
                .post(uri, connection)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .header(HeaderNames.USER_AGENT, "promptway-webhooks/1")
                .header(ID_HEADER, d.id())
                .header(TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(SIGNATURE_HEADER, signer.sign(d.id(), timestamp, body))
                .submit(body.getBytes(StandardCharsets.UTF_8))) {
          code = response.status().code();
          retryAfter =
              response
                  .headers()
                  .first(HeaderNames.RETRY_AFTER)
                  .map(WebhookDispatcher::seconds)
                  .orElse(null);
          if (code / 100 != 2) error = "receiver answered " + code;
          deadline.cancel(false); // before the connection goes back to the pool
          break;
        } catch (RuntimeException e) {
          connection.closeResource(); // in an unknown state: not reused
          if (tries == 2 || timedOut.get() || closed) throw e;
        }
      }
    } catch (RuntimeException e) {
      if (closed) return;
      if (timedOut.get()) {
        code = null;
        error = "no answer within " + timeout.toMillis() + " ms";
      } else {
        error = unreachable(e);
      }
    } finally {
      deadline.cancel(false);
    }
    double ms = (clock.nanos() - start) / 1e6;
    if (code != null && code / 100 == 2) {
      finish(d, attempt, WebhookDelivery.Status.DELIVERED, code, null, ms, null);
    } else if (code != null && code == 410) {
      disable(d.url(), "410 Gone from the receiver");
      finish(
          d, attempt, WebhookDelivery.Status.DEAD, code, "410 Gone: endpoint disabled", ms, null);
    } else if (attempt > config.retrySchedule().size()) {
      finish(
          d,
          attempt,
          WebhookDelivery.Status.DEAD,
          code,
          error + "; gave up after " + attempt + " attempts",
          ms,
          null);
    } else {
      Duration delay = withJitter(config.retrySchedule().get(attempt - 1));
      if (retryAfter != null) delay = max(delay, min(retryAfter, longestRetryAfter));
      Instant next = clock.now().plus(delay);
      finish(d, attempt, WebhookDelivery.Status.PENDING, code, error, ms, next);
      schedule(d.id(), next);
    }
  }

  private Duration withJitter(Duration d) {
    double factor = 1 + config.jitter() * (2 * jitter.nextDouble() - 1);
    return Duration.ofNanos((long) (d.toNanos() * factor));
  }

  /** A delay in seconds; an HTTP date or anything else that is no number is ignored. */
  private static Duration seconds(String header) {
    String s = header.trim();
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(s)));
    } catch (NumberFormatException e) {
      return s.matches("\\d+") ? Duration.ofSeconds(Long.MAX_VALUE) : null; // too many digits
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private void finish(
      WebhookDelivery d,
      int attempt,
      WebhookDelivery.Status status,
      Integer code,
      String error,
      double ms,
      Instant next) {
    long now = clock.now().toEpochMilli();
    outcomes.add(
        new Outcome(
            d.id(),
            d.requestId(),
            attempt,
            now,
            status,
            code,
            truncate(error),
            ms,
            next == null ? null : next.toEpochMilli()));
    if (status == WebhookDelivery.Status.PENDING) {
      Pending known = pending.get(d.id());
      if (known != null) {
        pending.put(
            d.id(),
            new Pending(
                new WebhookDelivery(
                    d.id(),
                    d.requestId(),
                    d.url(),
                    d.eventType(),
                    status,
                    attempt,
                    d.createdAt(),
                    next,
                    code,
                    truncate(error)),
                known.body()));
      }
    } else {
      pending.remove(d.id());
    }
  }

  private void writeOutcomes(Statements statements, List<Outcome> batch) throws SQLException {
    PreparedStatement log =
        statements.get(
            "INSERT INTO webhook_attempts (webhook_id, request_id, attempt, at, status_code, error, "
                + "duration_ms, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    PreparedStatement row =
        statements.get(
            "UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, "
                + "last_status = ?, last_error = ? WHERE id = ?");
    for (Outcome o : batch) {
      log.setString(1, o.webhookId());
      log.setString(2, o.requestId());
      log.setInt(3, o.attempt());
      log.setLong(4, o.at());
      setInt(log, 5, o.code());
      log.setString(6, o.error());
      log.setDouble(7, o.ms());
      setLong(log, 8, o.nextAttemptAt());
      log.addBatch();
      row.setString(1, o.status().name());
      row.setInt(2, o.attempt());
      setLong(row, 3, o.nextAttemptAt() == null ? o.at() : o.nextAttemptAt());
      setInt(row, 4, o.code());
      row.setString(5, o.error());
      row.setString(6, o.webhookId());
      row.addBatch();
    }
    log.executeBatch();
    row.executeBatch();
  }

  private void disable(String url, String reason) {
    disabled.add(url);
    try (Connection c = db.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "MERGE INTO webhook_disabled_endpoints KEY (url) VALUES (?, ?, ?)")) {
      ps.setString(1, url);
      ps.setLong(2, clock.now().toEpochMilli());
      ps.setString(3, reason);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw failure("disable endpoint", e);
    }
  }

  private WebhookDelivery find(String id) {
    List<WebhookDelivery> found = query("WHERE id = ?", List.of(id));
    return found.isEmpty() ? null : found.get(0);
  }

  private String body(String id) {
    try (Connection c = db.connection();
        PreparedStatement ps =
            c.prepareStatement("SELECT body FROM webhook_deliveries WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    } catch (SQLException e) {
      throw failure("read webhook body", e);
    }
  }

  private List<WebhookDelivery> query(String where, List<String> args) {
    outcomes.flush();
    List<WebhookDelivery> out = new ArrayList<>();
    try (Connection c = db.connection();
        PreparedStatement ps =
            c.prepareStatement("SELECT " + COLUMNS + " FROM webhook_deliveries " + where)) {
      for (int i = 0; i < args.size(); i++) ps.setString(i + 1, args.get(i));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long next = rs.getLong(8);
          Instant nextAt = rs.wasNull() ? null : Instant.ofEpochMilli(next);
          int last = rs.getInt(9);
          Integer lastStatus = rs.wasNull() ? null : last;
          out.add(
              new WebhookDelivery(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  WebhookDelivery.Status.valueOf(rs.getString(5)),
                  rs.getInt(6),
                  Instant.ofEpochMilli(rs.getLong(7)),
                  nextAt,
                  lastStatus,
                  rs.getString(10)));
        }
      }
    } catch (SQLException e) {
      throw failure("read webhook deliveries", e);
    }
    return out;
  }

  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    if (connections.isSet()) connections.get().close();
    senders.shutdownNow();
    outcomes.close();
  }

  /** Network calls are real, not simulated, so a fast clock never shrinks a timeout below 2 s. */
  private static Duration realTimeout(Duration d) {
    return d.compareTo(MIN_REAL_TIMEOUT) < 0 ? MIN_REAL_TIMEOUT : d;
  }

  private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
    if (v == null) ps.setNull(i, Types.INTEGER);
    else ps.setInt(i, v);
  }

  private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) ps.setNull(i, Types.BIGINT);
    else ps.setLong(i, v);
  }

  private static String truncate(String s) {
    return s == null || s.length() <= 1024 ? s : s.substring(0, 1024);
  }

  private static Database.DatabaseException failure(String what, SQLException e) {
    return new Database.DatabaseException("cannot " + what + ": " + e.getMessage(), e);
  }

  private int run(Apply apply) {
    Write w = new Write(apply);
    writes.commit(w);
    return w.result;
  }
}
