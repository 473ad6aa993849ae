package io.promptway.patterns.sse;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.promptway.patterns.Pattern;
import io.promptway.patterns.Platform;
import io.promptway.patterns.common.Invocations;
import io.promptway.patterns.common.RequestParameters;
import io.promptway.runtime.db.RequestIds;
import io.promptway.runtime.gateway.ApiClient;
import io.promptway.runtime.gateway.GatewayContext;
import io.promptway.runtime.gateway.GenerationRequest;
import io.promptway.runtime.http.ApiException;
import io.promptway.runtime.http.Bodies;
import io.promptway.runtime.http.Errors;
import io.promptway.runtime.llm.LlmClient;
import io.promptway.runtime.store.RequestStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Server-Sent Events: {@code POST /sse/generate} answers text/event-stream at once and streams
 * {@code token} events (with {@code id:} sequence numbers), then {@code complete} or {@code error}.
 * The generation writes into a per-request event log independent of the connection, so {@code GET
 * /sse/streams/{id}} with {@code Last-Event-ID} resumes a dropped stream with no gap and no
 * duplicate while it runs and for a retention window after it ends.
 *
 * <p>Billed: one API request per connection (POST and each resume), the function's streamed
 * duration and bytes beyond 6 MB, tokens. Not modelled: the gateway's 10 MB streaming increments
 * and its 2 MB/s bandwidth cap after the first 6 MB.
 */
public final class SsePattern implements Pattern {
  public static final String NAME = "sse";
  static final HeaderName LAST_EVENT_ID = HeaderNames.create("Last-Event-ID");

  private final Platform platform;
  private final StreamLogs logs;
  private final SseDelivery delivery;
  private final ScheduledExecutorService evictor;
  private final Duration retention;

  public SsePattern(Platform platform) {
    this.platform = platform;
    this.retention = platform.config().sse().retention();
    this.logs = new StreamLogs(platform.clock(), retention);
    this.delivery = new SseDelivery(platform, NAME);
    this.evictor =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("sse-retention").factory());
    long period =
        Math.clamp(platform.clock().toRealNanos(retention) / 4, 10_000_000L, 60_000_000_000L);
    evictor.scheduleWithFixedDelay(logs::evictExpired, period, period, TimeUnit.NANOSECONDS);
    platform.metrics().registerOpenStreams(NAME, logs::openCount);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> routes() {
    return List.of("POST /sse/generate", "GET  /sse/streams/{id}");
  }

  @Override
  public void routing(HttpRouting.Builder http) {
    http.post("/sse/generate", this::generate).get("/sse/streams/{id}", this::resume);
  }

  /** The open and retained streams, for tests and introspection. */
  public StreamLogs logs() {
    return logs;
  }

  private void generate(ServerRequest req, ServerResponse res) {
    long start = platform.clock().nanos();
    byte[] body = Bodies.read(req.content(), req.headers());
    GenerationRequest g = platform.validator().parse(body);
    String id = RequestIds.next();
    platform
        .store()
        .create(RequestParameters.newRequest(id, NAME, g, GatewayContext.callerOf(req)));
    EventLog log = logs.open(id);
    SseGeneration generation = new SseGeneration(platform, NAME, id, g, log, start);
    Future<LlmClient.Completion> invocation;
    try {
      invocation = generation.start();
    } catch (ApiException e) {
      logs.discard(id);
      Invocations.recordNotStarted(
          platform.store(), id, RequestStatus.RECEIVED, e, "function", true);
      throw e;
    }
    // billed as it arrives, so the complete event's cost includes it
    platform.gateway().billStreamStarted(id, NAME);
    Thread.ofVirtual().name("sse-finish-" + id).start(() -> generation.finish(invocation));
    SseDelivery.Delivered d = delivery.deliver(res, log, 0);
    platform.gateway().billStreamEnded(id, NAME, body.length + d.bytes());
  }

  private void resume(ServerRequest req, ServerResponse res) {
    String id = req.path().pathParameters().get("id");
    String owner =
        platform.store().inspect(id).map(r -> r.caller()).orElse(ApiClient.ANONYMOUS.name());
    EventLog log =
        logs.find(id)
            .filter(found -> GatewayContext.owns(req, owner))
            .orElseThrow(
                () ->
                    new ApiException(
                        404,
                        "STREAM_NOT_FOUND",
                        "no resumable stream "
                            + id
                            + ": streams stay resumable for "
                            + retention.toSeconds()
                            + " s after they finish",
                        null,
                        null,
                        null));
    long after = lastEventId(req, log);
    platform
        .store()
        .note(
            id,
            "client resumed after event "
                + after
                + " of "
                + log.lastId()
                + (log.finished() ? " (stream finished)" : ""));
    SseDelivery.Delivered d = delivery.deliver(res, log, after);
    platform.gateway().billRequest(id, NAME, d.bytes());
  }

  /**
   * Last-Event-ID from the header (or the {@code last_event_id} query parameter); 0 when absent.
   */
  private static long lastEventId(ServerRequest req, EventLog log) {
    String raw =
        req.headers()
            .first(LAST_EVENT_ID)
            .orElseGet(() -> req.query().first("last_event_id").orElse(null));
    if (raw == null || raw.isBlank()) return 0;
    long id;
    try {
      id = Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw Errors.validation(
          "Last-Event-ID", "must be an event id (a whole number), got '" + raw + "'");
    }
    long last = log.lastId();
    if (id < 0 || id > last) {
      throw Errors.validation(
          "Last-Event-ID",
          "event " + id + " does not exist in this stream (ids 1-" + last + " so far)");
    }
    return id;
  }

  @Override
  public void close() {
    evictor.shutdownNow();
  }
}
