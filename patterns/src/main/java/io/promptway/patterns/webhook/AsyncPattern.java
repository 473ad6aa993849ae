package io.promptway.patterns.webhook;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.promptway.patterns.Pattern;
import io.promptway.patterns.Platform;
import io.promptway.patterns.common.PatternResponses;
import io.promptway.patterns.common.QueryParameters;
import io.promptway.patterns.common.RequestMetadata;
import io.promptway.patterns.common.StatusView;
import io.promptway.runtime.db.RequestIds;
import io.promptway.runtime.gateway.GatewayContext;
import io.promptway.runtime.gateway.GenerationRequest;
import io.promptway.runtime.http.Bodies;
import io.promptway.runtime.http.Envelope;
import io.promptway.runtime.http.Errors;
import io.promptway.runtime.queue.MessageQueue;
import io.promptway.runtime.store.RequestRecord;
import io.promptway.runtime.webhook.DeliveryAttempt;
import io.promptway.runtime.webhook.WebhookDelivery;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Queue + webhook: {@code POST /async/requests} (callback_url required) answers 202 with a status
 * URL; workers process the queue in batches and call back with a signed webhook. Also serves the
 * status ({@code GET /async/requests/{id}}), the request's webhook delivery log ({@code
 * /deliveries}) and the webhook dead-letter list ({@code GET /webhooks/dead-letters}).
 */
public final class AsyncPattern implements Pattern {
  public static final String NAME = "async";
  public static final String QUEUE = "async-requests";

  private final Platform platform;
  private final RequestMetadata metadata;
  private final AsyncDeployment deployment;
  private final PatternResponses responses;

  public AsyncPattern(Platform platform) {
    this.platform = platform;
    this.metadata = new RequestMetadata(platform.clock(), platform.meter());
    this.deployment = new AsyncDeployment(platform, QUEUE, NAME);
    this.responses = new PatternResponses(platform.config().environment().showsDetails());
  }

  /** Starts the workers once the server (and so the model provider) listens. */
  @Override
  public void start() {
    deployment.start();
  }

  @Override
  public String name() {
    return NAME;
  }

  public MessageQueue queue() {
    return deployment.queue();
  }

  @Override
  public List<String> routes() {
    return List.of(
        "POST /async/requests",
        "GET  /async/requests/{id}",
        "GET  /async/requests/{id}/deliveries",
        "GET  /webhooks/dead-letters",
        "GET  /async/queue");
  }

  @Override
  public void routing(HttpRouting.Builder http) {
    http.post("/async/requests", this::submit)
        .get("/async/requests/{id}", this::status)
        .get("/async/requests/{id}/deliveries", this::deliveries)
        .get("/webhooks/dead-letters", this::webhookDeadLetters)
        .get("/async/queue", this::queueInfo);
  }

  private void submit(ServerRequest req, ServerResponse res) {
    long start = platform.clock().nanos();
    byte[] body = Bodies.read(req.content(), req.headers());
    GenerationRequest g = platform.validator().parse(body);
    String id = RequestIds.next();
    deployment.intake().submit(id, NAME, g, GatewayContext.callerOf(req), true);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("request_id", id);
    data.put("status", "processing");
    data.put("status_url", AsyncIntake.statusUrl(id));
    platform.gateway().billRequest(id, NAME, body.length + 512);
    responses.send(res, 202, Envelope.ok(data, metadata.accepted(id, NAME, g.model(), start)));
  }

  private void status(ServerRequest req, ServerResponse res) {
    long start = platform.clock().nanos();
    String id = req.path().pathParameters().get("id");
    ownedBy(req, id);
    RequestRecord r =
        platform
            .store()
            .find(id)
            .filter(found -> found.pattern().equals(NAME) || found.pattern().equals("hybrid"))
            .orElseThrow(() -> Errors.notFound("async request '" + id + "'"));
    platform.gateway().billRequest(id, r.pattern(), 1024);
    Map<String, Object> data =
        StatusView.of(
            r,
            deployment.maxAttempts(),
            platform.meter().cost(id),
            platform.webhooks().deliveries(id));
    responses.send(
        res, 200, Envelope.ok(data, metadata.metered(id, r.pattern(), r.model(), null, start)));
  }

  // an operator's view of the webhook log: billed neither as a gateway call nor as a state read
  private void deliveries(ServerRequest req, ServerResponse res) {
    String id = req.path().pathParameters().get("id");
    ownedBy(req, id);
    List<WebhookDelivery> messages = platform.webhooks().deliveries(id);
    List<DeliveryAttempt> attempts = platform.webhooks().attempts(id);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("request_id", id);
    data.put("webhooks", messages);
    data.put("attempts", attempts);
    responses.send(res, 200, Envelope.ok(data, null));
  }

  // checked on the unbilled read, so another caller's poll bills the request's owner nothing
  private void ownedBy(ServerRequest req, String id) {
    platform
        .store()
        .inspect(id)
        .filter(r -> GatewayContext.owns(req, r.caller()))
        .orElseThrow(() -> Errors.notFound("async request '" + id + "'"));
  }

  private void webhookDeadLetters(ServerRequest req, ServerResponse res) {
    int limit = QueryParameters.limit(req);
    responses.send(res, 200, Envelope.ok(platform.webhooks().deadLetters(limit), null));
  }

  private void queueInfo(ServerRequest req, ServerResponse res) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("queue", deployment.queue().settings());
    data.put("depth", deployment.queue().depth());
    data.put("dead_letter_depth", deployment.deadLetters().depth());
    data.put("dead_letters", deployment.deadLetters().peek(10));
    responses.send(res, 200, Envelope.ok(data, null));
  }

  @Override
  public void close() {
    deployment.close();
  }
}
