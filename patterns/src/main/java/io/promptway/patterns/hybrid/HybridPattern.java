package io.promptway.patterns.hybrid;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.promptway.patterns.Pattern;
import io.promptway.patterns.Platform;
import io.promptway.patterns.common.PatternResponses;
import io.promptway.patterns.common.RequestMetadata;
import io.promptway.patterns.sync.SyncGenerator;
import io.promptway.patterns.webhook.AsyncDeployment;
import io.promptway.patterns.webhook.AsyncIntake;
import io.promptway.runtime.db.RequestIds;
import io.promptway.runtime.gateway.ApiClient;
import io.promptway.runtime.gateway.GatewayContext;
import io.promptway.runtime.gateway.GenerationRequest;
import io.promptway.runtime.http.Bodies;
import io.promptway.runtime.http.Envelope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /generate}: routes with {@link HybridRouter} and serves through the sync pattern's
 * {@link SyncGenerator} (200), a queue + workers deployment of its own ({@link AsyncDeployment},
 * queue {@value #QUEUE}; 202, callback_url optional, the client may poll instead), or answers 200
 * with the streaming endpoint to use. Every response to a routed request carries {@code
 * data.routing {pattern, reason}}, a failure of the served request too (only a request refused as
 * invalid, before or by the route it was given, has none); everything is billed to the hybrid
 * pattern. A {@code callback_url} is checked against the allow-list before the answer points to the
 * events route, which would refuse it.
 */
public final class HybridPattern implements Pattern {
  public static final String NAME = "hybrid";
  public static final String QUEUE = "hybrid-requests";

  private final Platform platform;
  private final RequestMetadata metadata;
  private final HybridRouter router;
  private final SyncGenerator sync;
  private final AsyncDeployment queued;
  private final PatternResponses responses;

  public HybridPattern(Platform platform, SyncGenerator sync) {
    this.platform = platform;
    this.metadata = new RequestMetadata(platform.clock(), platform.meter());
    this.router = new HybridRouter(platform.config().hybrid());
    this.sync = sync;
    this.queued = new AsyncDeployment(platform, QUEUE, NAME);
    this.responses = new PatternResponses(platform.config().environment().showsDetails());
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Starts its workers once the server (and so the model provider) listens. */
  @Override
  public void start() {
    queued.start();
  }

  @Override
  public void close() {
    queued.close();
  }

  public HybridRouter router() {
    return router;
  }

  @Override
  public List<String> routes() {
    return List.of("POST /generate");
  }

  @Override
  public void routing(HttpRouting.Builder http) {
    http.post("/generate", this::generate);
  }

  private void generate(ServerRequest req, ServerResponse res) {
    long start = platform.clock().nanos();
    byte[] body = Bodies.read(req.content(), req.headers());
    GenerationRequest g = platform.validator().parse(body);
    Route route = router.route(g);
    String id = RequestIds.next();
    res.header("X-Routed-To", route.pattern());
    Map<String, Object> routing = Map.of("pattern", route.pattern(), "reason", route.reason());
    Map<String, Object> data = new LinkedHashMap<>();
    switch (route.pattern()) {
      case "sync" -> {
        Optional<SyncGenerator.Result> answer =
            sync.generate(
                id,
                NAME,
                g,
                GatewayContext.callerOf(req),
                start,
                body.length,
                late -> {
                  res.header(HeaderValues.CONNECTION_CLOSE);
                  sendFailure(res, late, routing, id, g, start);
                });
        if (answer.isEmpty()) return; // answered 504 while the function ran on
        SyncGenerator.Result r = answer.get();
        if (r.error() != null) {
          sendFailure(res, r, routing, id, g, start);
          return;
        }
        if (r.envelope().data() instanceof Map<?, ?> m)
          m.forEach((k, v) -> data.put((String) k, v));
        data.put("routing", routing);
        responses.send(res, 200, Envelope.ok(data, r.envelope().metadata()));
      }
      case "async" -> {
        queued.intake().submit(id, NAME, g, GatewayContext.callerOf(req), false);
        platform.gateway().billRequest(id, NAME, body.length + 512);
        data.put("request_id", id);
        data.put("status", "processing");
        data.put("status_url", AsyncIntake.statusUrl(id));
        data.put("routing", routing);
        responses.send(res, 202, Envelope.ok(data, metadata.accepted(id, NAME, g.model(), start)));
      }
      default -> {
        // The events route would refuse it: say so now, not after the client has followed us there.
        if (route.pattern().equals("events") && g.callbackUrl() != null)
          platform.webhooks().allowList().check("callback_url", g.callbackUrl());
        // No request is created for a pointer, so nothing else tells the meter whose it is.
        platform
            .connections()
            .attribute(
                id, GatewayContext.of(req).map(GatewayContext::caller).orElse(ApiClient.ANONYMOUS));
        platform.gateway().billRequest(id, NAME, body.length + 512);
        data.put(route.pattern().equals("events") ? "submit_url" : "stream_url", route.url());
        data.put("routing", routing);
        responses.send(res, 200, Envelope.ok(data, metadata.accepted(id, NAME, g.model(), start)));
      }
    }
  }

  /** The sync route's error envelope, with {@code data.routing} so it says where it went. */
  private void sendFailure(
      ServerResponse res,
      SyncGenerator.Result r,
      Map<String, Object> routing,
      String id,
      GenerationRequest g,
      long start) {
    r.error().headers().forEach(res::header);
    Envelope failed =
        responses.failure(r.error(), metadata.metered(id, NAME, g.model(), null, start));
    responses.send(
        res,
        r.status(),
        new Envelope(false, Map.of("routing", routing), failed.metadata(), failed.error()));
  }
}
