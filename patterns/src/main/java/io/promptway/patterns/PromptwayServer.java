package io.promptway.patterns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.media.UnsupportedTypeException;
import io.helidon.http.media.jackson.JacksonRuntimeException;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.websocket.WsRouting;
import io.promptway.patterns.admin.MeteringService;
import io.promptway.patterns.eventbus.EventsPattern;
import io.promptway.patterns.hybrid.HybridPattern;
import io.promptway.patterns.requests.RequestsService;
import io.promptway.patterns.sse.SsePattern;
import io.promptway.patterns.sync.SyncPattern;
import io.promptway.patterns.webhook.AsyncPattern;
import io.promptway.patterns.websocket.WebSocketPattern;
import io.promptway.runtime.bus.InProcessEventBus;
import io.promptway.runtime.bus.RetryPolicy;
import io.promptway.runtime.bus.Rule;
import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.config.RuntimeConfig;
import io.promptway.runtime.db.Database;
import io.promptway.runtime.db.RequestIds;
import io.promptway.runtime.function.FunctionRuntime;
import io.promptway.runtime.gateway.ApiGateway;
import io.promptway.runtime.gateway.GatewayStack;
import io.promptway.runtime.gateway.RequestValidator;
import io.promptway.runtime.gateway.UnmatchedRoute;
import io.promptway.runtime.http.ApiException;
import io.promptway.runtime.http.ErrorResponses;
import io.promptway.runtime.http.Errors;
import io.promptway.runtime.llm.CompletionPlanner;
import io.promptway.runtime.llm.LlmClient;
import io.promptway.runtime.llm.LlmProviderService;
import io.promptway.runtime.llm.UpstreamForwarder;
import io.promptway.runtime.metering.JdbcMeter;
import io.promptway.runtime.metering.Meter;
import io.promptway.runtime.metering.PriceTable;
import io.promptway.runtime.observability.DatabaseHealthCheck;
import io.promptway.runtime.queue.MessageQueues;
import io.promptway.runtime.store.JdbcRequestStore;
import io.promptway.runtime.store.RequestStore;
import io.promptway.runtime.webhook.CallbackAllowList;
import io.promptway.runtime.webhook.WebhookDispatcher;
import io.promptway.runtime.webhook.WebhookSecret;
import io.promptway.runtime.webhook.WebhookSigner;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Wires the whole runtime: the platform services, the emulated provider, every pattern and the
 * introspection routes, in one place you can read top to bottom. Tests and the CLI both start the
 * runtime through {@link #start(RuntimeConfig)}, so tests run the real wiring.
 */
public final class PromptwayServer {
  private PromptwayServer() {}

  /** The runtime's own routes; patterns add theirs ({@link RunningRuntime#routes()}). */
  static final List<String> PLATFORM_ROUTES =
      List.of(
          "GET  /requests/{id}",
          "GET  /metering/totals",
          "GET  /metering/prices",
          "POST /metering/costs",
          "POST /llm/v1/chat/completions",
          "GET  /llm/v1/models",
          "GET  /llm/v1/models/{model}",
          "GET  /health",
          "HEAD /health",
          "GET  /health/ready",
          "GET  /health/live",
          "GET  /metrics",
          "GET  /openapi");

  /** Every route served: each pattern's, then the platform's. */
  static List<String> routes(List<Pattern> patterns) {
    List<String> all = new ArrayList<>();
    for (Pattern p : patterns) all.addAll(p.routes());
    all.addAll(PLATFORM_ROUTES);
    return all;
  }

  /** Starts the runtime; one-time notices (e.g. a generated webhook secret) go to stderr. */
  public static RunningRuntime start(RuntimeConfig config) {
    return start(config, line -> System.err.println("[promptway] " + line));
  }

  /**
   * Starts the runtime, telling {@code notices} what a person must see once, once it has started: a
   * start that fails (a busy port) says only why.
   */
  public static RunningRuntime start(RuntimeConfig config, Consumer<String> notices) {
    List<AutoCloseable> resources = new ArrayList<>();
    List<String> held = new ArrayList<>();
    try {
      RunningRuntime started = start(config, resources, held::add);
      held.forEach(notices);
      return started;
    } catch (RuntimeException e) {
      for (int i = resources.size() - 1; i >= 0; i--) {
        try {
          resources.get(i).close();
        } catch (Exception ignored) {
          // already failing
        }
      }
      throw e;
    }
  }

  private static RunningRuntime start(
      RuntimeConfig config, List<AutoCloseable> resources, Consumer<String> notices) {
    requireResolvable(config.server());
    SimulatedClock clock = new SimulatedClock(config.timeScale());
    PriceTable prices = PriceTable.load(config.prices());
    for (String model : config.llm().models().keySet()) {
      if (!prices.knowsModel(model)) {
        throw new IllegalArgumentException(
            "model '" + model + "' has no price: add it under prices.llm in the config");
      }
    }
    Database db = new Database(config.state().effectiveJdbcUrl());
    resources.add(db);
    // The gateway's production features wrap the meter and the store, so every bill is
    // attributed to the caller (API key) the gateway admitted.
    GatewayStack gateway =
        GatewayStack.create(
            config,
            clock,
            new JdbcMeter(db, prices, clock),
            List.of(new DatabaseHealthCheck(db)),
            System.getenv(),
            RequestIds::next);
    Meter meter = gateway.meter();
    resources.add(meter);
    RequestStore store =
        gateway.track(new JdbcRequestStore(db, clock, config.state().ttl(), meter));
    resources.add(store);
    resources.add(gateway); // closed first: stops the sweeper before the store goes
    FunctionRuntime functions = new FunctionRuntime(clock, meter, config.function());
    resources.add(functions);
    AtomicReference<URI> providerBase = new AtomicReference<>();
    LlmProviderService provider =
        new LlmProviderService(
            config.llm().models(),
            new CompletionPlanner(config.seed()),
            clock,
            meter,
            upstream(config));
    // Functions take the embedded emulator in process (no loopback hop) unless configured not to;
    // the sync pattern calls completeOverHttp unless llm.sync_over_http is false. Calls over HTTP
    // tell the provider when they go away, so it bills only the tokens generated until then.
    LlmClient llm =
        new LlmClient(
            providerBase::get,
            config.llm().inProcess() ? provider.inProcess().orElse(null) : null,
            provider.hangUps());
    resources.add(llm);
    RequestValidator validator =
        new RequestValidator(
            config.gateway(), config.llm().models().keySet(), config.llm().defaultModel());
    MessageQueues queues = new MessageQueues(db, clock, meter, config.queue());
    WebhookSecret secret = WebhookSecret.resolve(System.getenv(), notices);
    WebhookDispatcher webhooks =
        new WebhookDispatcher(
            db,
            clock,
            new WebhookSigner(secret),
            new CallbackAllowList(config.webhook().allowHosts()),
            config.webhook(),
            config.seed());
    resources.add(webhooks);
    InProcessEventBus bus =
        new InProcessEventBus(
            db,
            clock,
            meter,
            config.bus().rules().stream().map(Rule::fromConfig).toList(),
            RetryPolicy.of(config.bus()),
            queues.plain("events-dlq", EventsPattern.NAME),
            config.seed());
    resources.add(bus);
    Platform platform =
        new Platform(
            config,
            clock,
            db,
            store,
            meter,
            new ApiGateway(config.gateway(), meter),
            gateway.connections(),
            functions,
            llm,
            validator,
            queues,
            webhooks,
            bus,
            gateway.metrics());

    SyncPattern sync = new SyncPattern(platform);
    AsyncPattern async = new AsyncPattern(platform);
    List<Pattern> patterns =
        List.of(
            sync,
            new SsePattern(platform),
            new WebSocketPattern(platform),
            async,
            new EventsPattern(platform),
            new HybridPattern(platform, sync.generator()));
    resources.add(() -> patterns.forEach(Pattern::close));
    ErrorResponses errors = new ErrorResponses(config.environment().showsDetails());

    HttpRouting.Builder http = HttpRouting.builder();
    errors.register(http);
    gateway.healthDetail("patterns", patterns.stream().map(Pattern::name).toList());
    gateway.register(http); // filter in front of every route; /health, /metrics, /openapi
    http.register("/llm/v1", provider)
        .register("/requests", new RequestsService(store, gateway.meter()))
        .register("/metering", new MeteringService(meter))
        // Bare routes in the same server, the baselines the sync benchmark compares against: the
        // body echoed as bytes, and as JSON read and written by Helidon's Jackson media support.
        .post(
            "/_bare/echo",
            (req, res) -> {
              requireBody(req);
              res.header(HeaderNames.CONTENT_TYPE, "application/json");
              res.send(req.content().as(byte[].class));
            })
        .post("/_bare/json", PromptwayServer::jsonEcho);
    WsRouting.Builder ws = WsRouting.builder();
    for (Pattern p : patterns) {
      p.routing(http);
      p.websocket(ws);
    }
    List<String> served = new ArrayList<>(routes(patterns));
    served.add("POST /_bare/echo");
    served.add("POST /_bare/json");
    http.any(new UnmatchedRoute(served)); // last: only what no route took
    WebServerConfig.Builder builder =
        WebServer.builder().host(config.server().host()).port(config.server().port());
    gateway.configure(builder); // payload and header limits, enveloped transport errors
    WebServer server =
        CheckedServerStart.start(
            builder.addRouting(http).addRouting(ws).build(), address(config.server()));
    resources.add(server::stop); // closed first
    gateway.start();
    providerBase.set(URI.create("http://127.0.0.1:" + server.port() + "/llm/v1/"));
    webhooks.start();
    for (Pattern p : patterns) p.start();
    return new RunningRuntime(server, platform, patterns, resources, gateway);
  }

  /**
   * Fails before anything is opened when the host to listen on does not resolve; Helidon would say
   * only "Failed to get address from host", naming neither the flag nor the key.
   */
  private static void requireResolvable(RuntimeConfig.Server server) {
    try {
      InetAddress.getByName(server.host());
    } catch (UnknownHostException e) {
      throw ListenFailure.unknownHost(address(server), server.host(), e);
    }
  }

  private static String address(RuntimeConfig.Server server) {
    String host = server.host().contains(":") ? "[" + server.host() + "]" : server.host();
    return host + ":" + server.port();
  }

  private static void requireBody(ServerRequest req) {
    if (!req.content().hasEntity())
      throw Errors.badRequest("EMPTY_BODY", "request body is empty; send a JSON object");
  }

  private static void jsonEcho(ServerRequest req, ServerResponse res) {
    requireBody(req);
    JsonNode body;
    try {
      body = req.content().as(JsonNode.class);
    } catch (JacksonRuntimeException e) {
      String where = "";
      if (e.getCause() instanceof JsonProcessingException parse) {
        var loc = parse.getLocation();
        if (loc != null) where = " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
        throw Errors.malformedJson(parse.getOriginalMessage() + where);
      }
      throw Errors.malformedJson(e.getMessage());
    } catch (UnsupportedTypeException e) {
      String sent = req.headers().contentType().map(t -> ", not " + t.text()).orElse("");
      throw new ApiException(
          415,
          "UNSUPPORTED_MEDIA_TYPE",
          "this route reads application/json" + sent,
          null,
          null,
          null);
    }
    res.send(body);
  }

  private static Optional<UpstreamForwarder> upstream(RuntimeConfig config) {
    String url = config.llm().upstream();
    if (url == null || url.isBlank()) return Optional.empty();
    String key = System.getenv(config.llm().upstreamApiKeyEnv());
    return Optional.of(new UpstreamForwarder(URI.create(url), key, config.llm().upstreamTimeout()));
  }
}
