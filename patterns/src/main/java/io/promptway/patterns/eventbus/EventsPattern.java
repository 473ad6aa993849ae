package io.promptway.patterns.eventbus;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.promptway.patterns.Pattern;
import io.promptway.patterns.Platform;
import io.promptway.patterns.common.CallbackNotices;
import io.promptway.patterns.common.PatternResponses;
import io.promptway.patterns.common.QueryParameters;
import io.promptway.patterns.common.RequestMetadata;
import io.promptway.patterns.common.RequestParameters;
import io.promptway.patterns.common.StatusView;
import io.promptway.runtime.bus.ArchiveEntry;
import io.promptway.runtime.bus.CloudEvent;
import io.promptway.runtime.bus.Rule;
import io.promptway.runtime.db.RequestIds;
import io.promptway.runtime.gateway.GatewayContext;
import io.promptway.runtime.gateway.GenerationRequest;
import io.promptway.runtime.http.Bodies;
import io.promptway.runtime.http.Envelope;
import io.promptway.runtime.http.Errors;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.store.Outcome;
import io.promptway.runtime.store.RequestRecord;
import io.promptway.runtime.store.RequestStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Event-driven: {@code POST /events/requests} publishes the request as a CloudEvent ({@value
 * #REQUEST_CREATED}) and answers 202; rules from the {@code bus:} config route it to processors.
 * Also {@code GET /events/requests/{id}} (status, as the async pattern), {@code GET /events/rules},
 * {@code GET /events/archive?request_id=} and {@code GET /events/dead-letters}.
 */
public final class EventsPattern implements Pattern {
  private static final Logger LOG = Logger.getLogger(EventsPattern.class.getName());
  public static final String NAME = "events";
  public static final String SOURCE = "/events/requests";
  public static final String REQUEST_CREATED = "io.promptway.request.created";

  private final Platform platform;
  private final RequestMetadata metadata;
  private final PatternResponses responses;
  private final CallbackNotices notices;

  public EventsPattern(Platform platform) {
    this.platform = platform;
    this.metadata = new RequestMetadata(platform.clock(), platform.meter());
    this.responses = new PatternResponses(platform.config().environment().showsDetails());
    this.notices = new CallbackNotices(platform.webhooks(), platform.meter(), platform.clock());
    Set<String> serving = ConcurrentHashMap.newKeySet();
    platform
        .config()
        .bus()
        .servingProcessors()
        .forEach(
            (name, cfg) ->
                platform
                    .bus()
                    .registerTarget(
                        name, new EventProcessor(name, cfg, platform, notices, serving)));
    List<String> missing = platform.bus().missingTargets();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "bus.rules name targets that are not under bus.processors: " + missing);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> routes() {
    return List.of(
        "POST /events/requests",
        "GET  /events/requests/{id}",
        "GET  /events/rules",
        "GET  /events/archive",
        "GET  /events/dead-letters");
  }

  /**
   * Once the model provider answers: what the last runtime left unfinished is redelivered, on a
   * thread of its own, as reading a large archive must not hold up the runtime's start.
   */
  @Override
  public void start() {
    Thread.ofVirtual()
        .name("bus-redelivery")
        .start(
            () -> {
              try {
                platform.bus().redeliverUnfinished();
              } catch (RuntimeException e) {
                if (!platform.bus().stopping())
                  LOG.log(Level.WARNING, "deliveries left unfinished were not redelivered", e);
              }
            });
  }

  @Override
  public void routing(HttpRouting.Builder http) {
    http.post("/events/requests", this::submit)
        .get("/events/requests/{id}", this::status)
        .get("/events/rules", this::rules)
        .get("/events/archive", this::archive)
        .get("/events/dead-letters", this::deadLetters);
  }

  private void submit(ServerRequest req, ServerResponse res) {
    long start = platform.clock().nanos();
    byte[] body = Bodies.read(req.content(), req.headers());
    GenerationRequest g = platform.validator().parse(body);
    if (g.callbackUrl() != null)
      platform.webhooks().allowList().check("callback_url", g.callbackUrl());
    String id = RequestIds.next();
    String caller = GatewayContext.callerOf(req);
    CloudEvent event =
        CloudEvent.of(SOURCE, REQUEST_CREATED, platform.clock().now(), eventData(id, g));
    List<String> rules;
    try {
      rules =
          platform
              .functions()
              .invoke(
                  id,
                  NAME,
                  inv -> {
                    var store = platform.store();
                    store.create(RequestParameters.newRequest(id, NAME, g, caller));
                    // QUEUED before publishing: a processor may take the event at once
                    store.transition(
                        id, RequestStatus.RECEIVED, RequestStatus.QUEUED, "event " + event.id());
                    List<String> matched = platform.bus().publish(event, id, NAME);
                    if (matched.isEmpty()) {
                      store.transition(
                          id,
                          RequestStatus.QUEUED,
                          RequestStatus.FAILED,
                          "no bus rule matched event " + event.id(),
                          Outcome.failed("NO_MATCHING_RULE", "no bus rule matched the request"));
                      store.find(id).ifPresent(r -> notices.notifyFinished(r, g.callbackUrl()));
                    } else {
                      store.note(id, "published event " + event.id() + "; rules " + matched);
                    }
                    return matched;
                  });
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw Errors.internal("could not publish the request: " + e.getMessage(), e);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("request_id", id);
    data.put("status", rules.isEmpty() ? "failed" : "queued");
    data.put("status_url", "/events/requests/" + id);
    data.put("event_id", event.id());
    data.put("rules", rules);
    platform.gateway().billRequest(id, NAME, body.length + 512);
    String model = modelFor(rules, g.model());
    responses.send(res, 202, Envelope.ok(data, metadata.accepted(id, NAME, model, start)));
  }

  /**
   * The model the matched rules' processors will call: a processor's own model replaces the
   * requested one. When the targets disagree, the 202 names the requested model; each view of the
   * request names the one that answered once it has.
   */
  private String modelFor(List<String> rules, String requested) {
    var bus = platform.config().bus();
    Set<String> models = new HashSet<>();
    for (var rule : bus.rules()) {
      if (!rules.contains(rule.name())) continue;
      for (String target : rule.targets()) {
        var processor = bus.processor(target);
        models.add(processor != null && processor.model() != null ? processor.model() : requested);
      }
    }
    return models.size() == 1 ? models.iterator().next() : requested;
  }

  private static JsonNode eventData(String id, GenerationRequest g) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("request_id", id);
    data.put("priority", g.priority());
    data.put("user_tier", g.userTier());
    data.put("model", g.model());
    data.put("max_tokens", g.maxTokens());
    data.put("temperature", g.temperature());
    data.put("prompt_chars", g.promptChars());
    data.put("messages", g.messages());
    if (g.callbackUrl() != null) data.put("callback_url", g.callbackUrl());
    if (g.conversationId() != null) data.put("conversation_id", g.conversationId());
    return Json.mapper().valueToTree(data);
  }

  private void status(ServerRequest req, ServerResponse res) {
    long start = platform.clock().nanos();
    String id = req.path().pathParameters().get("id");
    platform
        .store()
        .inspect(id)
        .filter(found -> GatewayContext.owns(req, found.caller()))
        .orElseThrow(() -> Errors.notFound("event request '" + id + "'"));
    RequestRecord r =
        platform
            .store()
            .find(id)
            .filter(found -> found.pattern().equals(NAME))
            .orElseThrow(() -> Errors.notFound("event request '" + id + "'"));
    platform.gateway().billRequest(id, NAME, 1024);
    Map<String, Object> data =
        StatusView.of(
            r,
            platform.bus().retryPolicy().maxAttempts(),
            platform.meter().cost(id),
            platform.webhooks().deliveries(id));
    data.put("routing", routing(platform.bus().archive(id), r));
    responses.send(res, 200, Envelope.ok(data, metadata.metered(id, NAME, r.model(), null, start)));
  }

  private static Map<String, Object> routing(List<ArchiveEntry> archive, RequestRecord r) {
    List<String> rules = new ArrayList<>();
    List<String> delivered = new ArrayList<>();
    for (ArchiveEntry a : archive) {
      if (a.kind() == ArchiveEntry.Kind.MATCHED) rules.add(a.rule());
      if (a.kind() == ArchiveEntry.Kind.DELIVERED) delivered.add(a.target());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("rules", rules);
    out.put("delivered_to", delivered);
    if (r.attempts() > 0) out.put("model", r.model()); // a processor took it: the model it called
    return out;
  }

  private void rules(ServerRequest req, ServerResponse res) {
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Rule r : platform.bus().rules()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", r.name());
      if (r.description() != null) m.put("description", r.description());
      m.put("event_pattern", r.pattern());
      m.put("targets", r.targets());
      rules.add(m);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("rules", rules);
    data.put("processors", platform.config().bus().servingProcessors());
    data.put("retry_policy", platform.bus().retryPolicy());
    data.put("dead_letter_queue", platform.bus().deadLetterQueue().name());
    responses.send(res, 200, Envelope.ok(data, null));
  }

  private void archive(ServerRequest req, ServerResponse res) {
    String id = QueryParameters.required(req, "request_id", "req_...");
    responses.send(res, 200, Envelope.ok(platform.bus().archive(id), null));
  }

  private void deadLetters(ServerRequest req, ServerResponse res) {
    int limit = QueryParameters.limit(req);
    var dlq = platform.bus().deadLetterQueue();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("queue", dlq.name());
    data.put("depth", dlq.depth());
    data.put("messages", dlq.peek(limit));
    responses.send(res, 200, Envelope.ok(data, null));
  }
}
