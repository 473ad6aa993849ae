package io.promptway.runtime.llm;

import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.http.Bodies;
import io.promptway.runtime.http.HttpStatus;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.http.ModelCallHeaders;
import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.metering.Meter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The emulated OpenAI-compatible provider at {@code /llm/v1}: chat completions (plain and streamed
 * as SSE chunks ending in {@code data: [DONE]}) and the model list. Latency, output and faults
 * follow each model's {@link ModelProfile}, deterministically from the seed. With an upstream
 * configured, requests are forwarded to a real provider instead ({@link UpstreamForwarder}).
 *
 * <p>Tokens are metered for requests that carry {@code X-Promptway-Request-Id}: the input once the
 * call is accepted, the output as it is generated. A caller that goes away mid-call, streamed or
 * not, is billed the output tokens generated until then, as real providers do; the runtime's own
 * callers say so through {@link CallerHangUps}, others are noticed when a stream's write fails. Not
 * modelled, and refused with a 400 naming the field ({@link ModelledFields}): tool calls,
 * structured output, logprobs, n > 1. A {@code stop} sequence cuts the answer where it first
 * appears.
 */
public final class LlmProviderService implements HttpService {
  static final HeaderName REQUEST_ID = ModelCallHeaders.REQUEST_ID;
  static final HeaderName PATTERN = ModelCallHeaders.PATTERN;
  static final HeaderName FAULT = HeaderNames.create(Fault.HEADER);
  static final HeaderName CALL_ID = HeaderNames.create(CallerHangUps.HEADER);
  private static final int CLIENT_CLOSED_REQUEST = 499;
  private static final int REQUESTS_KEPT = 100_000;
  private static final int PLANS_KEPT = 10_000;

  // OpenAI sends explicit nulls (e.g. "finish_reason": null) that some clients expect.
  private static final ObjectMapper OPENAI_WIRE = new ObjectMapper();

  private final Map<String, ModelProfile> models;
  private final CompletionPlanner planner;
  private final SimulatedClock clock;
  private final Meter meter;
  private final Optional<UpstreamForwarder> upstream;
  private final CallerHangUps hangUps;
  private final AttemptCounts attempts = new AttemptCounts(REQUESTS_KEPT, PLANS_KEPT);

  public LlmProviderService(
      Map<String, ModelProfile> models,
      CompletionPlanner planner,
      SimulatedClock clock,
      Meter meter,
      Optional<UpstreamForwarder> upstream) {
    this.models = Map.copyOf(models);
    this.planner = planner;
    this.clock = clock;
    this.meter = meter;
    this.upstream = upstream;
    this.hangUps = new CallerHangUps(clock);
  }

  /** Where the runtime's {@link LlmClient} says that it went away from a call over HTTP. */
  public CallerHangUps hangUps() {
    return hangUps;
  }

  /**
   * The emulator for callers in the same process ({@link EmulatedModel}), sharing this endpoint's
   * plans, attempt counts and meter; empty when requests go to an upstream provider, which only
   * HTTP can reach.
   */
  public Optional<EmulatedModel> inProcess() {
    if (upstream.isPresent()) return Optional.empty();
    return Optional.of(new EmulatedModel(models, planner, clock, meter, attempts));
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .get("/models", this::models)
        .get("/models/{model}", this::model)
        .post("/chat/completions", this::completions);
  }

  private void models(ServerRequest req, ServerResponse res) {
    List<Map<String, Object>> data = new ArrayList<>();
    for (String id : new TreeSet<>(models.keySet())) data.add(modelObject(id));
    sendJson(res, 200, Map.of("object", "list", "data", data));
  }

  private void model(ServerRequest req, ServerResponse res) {
    String id = req.path().pathParameters().get("model");
    if (!models.containsKey(id)) {
      OpenAiError e = OpenAiError.modelNotFound(id);
      sendJson(res, e.status(), e.body());
      return;
    }
    sendJson(res, 200, modelObject(id));
  }

  // Ids unique per call, as OpenAI's are: the plan's own id repeats for a repeated request.
  private final AtomicLong completions = new AtomicLong(System.nanoTime());

  private String completionId() {
    return "chatcmpl-" + Long.toString(completions.incrementAndGet(), 36);
  }

  private static Map<String, Object> modelObject(String id) {
    return Map.of("id", id, "object", "model", "created", 1_700_000_000L, "owned_by", "promptway");
  }

  private void completions(ServerRequest req, ServerResponse res) {
    String requestId = req.headers().value(REQUEST_ID).orElse(null);
    String pattern = req.headers().value(PATTERN).orElse("direct");
    byte[] raw = Bodies.read(req.content(), req.headers());
    try {
      JsonNode body;
      try {
        body = Json.mapper().readTree(raw);
      } catch (IOException e) {
        throw new OpenAiError(400, "invalid_request_error", null, "request body is not valid JSON");
      }
      ChatCompletionRequest request = ChatCompletionRequest.from(body);
      if (upstream.isPresent()) {
        upstream
            .get()
            .forward(
                raw,
                request,
                res,
                usage -> meterUsage(requestId, pattern, request.model(), usage[0], usage[1]));
        return;
      }
      ModelledFields.check(body, request);
      ModelProfile profile = models.get(request.model());
      if (profile == null) throw OpenAiError.modelNotFound(request.model());
      Fault forced = req.headers().value(FAULT).map(this::forcedFault).orElse(null);
      Integer askedTokens = request.maxTokens();
      int maxTokens = askedTokens == null ? 4096 : askedTokens;
      long key = planner.key(request.model(), request.messages(), maxTokens, request.seed());
      CompletionPlan plan =
          planner
              .plan(
                  key,
                  request.model(),
                  profile,
                  request.messages(),
                  maxTokens,
                  forced,
                  attempts.next(requestId, key))
              .withId(completionId());
      if (request.stop() != null) plan = plan.stoppedAt(request.stop());
      String overflow =
          profile.contextOverflow(plan.promptTokens(), askedTokens == null ? 0 : askedTokens);
      if (overflow != null) throw OpenAiError.contextLengthExceeded(overflow);
      failFast(plan);
      if (requestId != null)
        meter.record(
            requestId, pattern, BillableUnit.LLM_INPUT_TOKEN, request.model(), plan.promptTokens());
      try (CallerHangUps.Line caller = hangUps.pickUp(req.headers().value(CALL_ID).orElse(null))) {
        if (request.stream()) stream(plan, request.includeUsage(), res, requestId, pattern, caller);
        else complete(plan, res, requestId, pattern, caller);
      }
    } catch (OpenAiError e) {
      e.headers().forEach(res::header);
      sendJson(res, e.status(), e.body());
    }
  }

  private Fault forcedFault(String text) {
    try {
      return Fault.parse(text);
    } catch (IllegalArgumentException e) {
      throw new OpenAiError(400, "invalid_request_error", Fault.HEADER, e.getMessage());
    }
  }

  private void failFast(CompletionPlan plan) {
    FaultAnswer answer = FaultAnswer.before(plan);
    if (answer == null) return;
    sleep(answer.delay());
    throw answer.toOpenAiError();
  }

  /**
   * Waits out the whole generation, then answers at once: one wait to the instant the last token is
   * due, so per-token sleep overshoot does not add up (it would be multiplied by the time scale). A
   * caller that hangs up first is billed the output generated by then, and the exchange ends with
   * 499, the status proxies log for a client that closed its request.
   */
  private void complete(
      CompletionPlan plan,
      ServerResponse res,
      String requestId,
      String pattern,
      CallerHangUps.Line caller) {
    long accepted = clock.nanos();
    if (!waitUntil(caller, accepted + plan.answeredAfter().toNanos())) {
      Duration elapsed = Duration.ofNanos(caller.hungUpAt() - accepted);
      meterOutput(requestId, pattern, plan.model(), plan.unstreamedOutputBy(elapsed));
      res.status(HttpStatus.of(CLIENT_CLOSED_REQUEST));
      res.send(); // to nobody: it ends the exchange, and the access log shows why
      return;
    }
    if (plan.fault() == Fault.DROP) throw FaultAnswer.DROPPED.toOpenAiError();
    meterOutput(requestId, pattern, plan.model(), plan.completionTokens());
    res.status(Status.OK_200);
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.send(completionJson(plan, clock.now().getEpochSecond()));
  }

  /**
   * Streams chunks as they are due, each at its instant from the start (so overshoot does not add
   * up). Output tokens are metered before the last chunk, so a caller that has read {@code [DONE]}
   * sees the whole bill; an abandoned stream bills what was generated before the caller hung up (or
   * before a write failed, for a caller that does not say).
   */
  private void stream(
      CompletionPlan plan,
      boolean includeUsage,
      ServerResponse res,
      String requestId,
      String pattern,
      CallerHangUps.Line caller) {
    res.status(Status.OK_200);
    res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
    res.header(HeaderNames.CACHE_CONTROL, "no-cache");
    int generated = 0;
    boolean metered = false;
    long created = clock.now().getEpochSecond();
    long due = clock.nanos() + plan.ttft().toNanos();
    try (OutputStream out = res.outputStream()) {
      out.flush();
      if (!waitUntil(caller, due)) return;
      writeChunk(out, plan, created, Map.of("role", "assistant", "content", ""), null);
      for (int i = 0; i < plan.tokens().size(); i++) {
        if (i == plan.faultAtToken()) {
          if (plan.fault() == Fault.STALL) due += plan.stall().toNanos();
          if (plan.fault() == Fault.DROP) return; // ends without [DONE]: a dropped stream
        }
        due += plan.gaps().get(i).toNanos();
        if (!waitUntil(caller, due)) return; // the caller hung up: generation stops here
        generated++;
        writeChunk(out, plan, created, Map.of("content", plan.tokens().get(i)), null);
      }
      meterOutput(requestId, pattern, plan.model(), generated);
      metered = true;
      writeChunk(out, plan, created, Map.of(), plan.finishReason());
      if (includeUsage) {
        Map<String, Object> chunk = chunkBase(plan, created);
        chunk.put("choices", List.of());
        chunk.put("usage", usage(plan.promptTokens(), generated));
        writeData(out, OPENAI_WIRE.writeValueAsBytes(chunk));
      }
      writeData(out, "[DONE]".getBytes(StandardCharsets.UTF_8));
    } catch (IOException | UncheckedIOException | CloseConnectionException e) {
      // the caller went away (Helidon reports a broken connection as CloseConnectionException):
      // generation stops here, and so does the bill
    } finally {
      if (!metered) meterOutput(requestId, pattern, plan.model(), generated);
    }
  }

  private void meterOutput(String requestId, String pattern, String model, int tokens) {
    if (requestId != null)
      meter.record(requestId, pattern, BillableUnit.LLM_OUTPUT_TOKEN, model, tokens);
  }

  private void writeChunk(
      OutputStream out, CompletionPlan plan, long created, Map<String, Object> delta, String finish)
      throws IOException {
    Map<String, Object> choice = new LinkedHashMap<>();
    choice.put("index", 0);
    choice.put("delta", delta);
    choice.put("finish_reason", finish);
    Map<String, Object> chunk = chunkBase(plan, created);
    chunk.put("choices", List.of(choice));
    writeData(out, OPENAI_WIRE.writeValueAsBytes(chunk));
  }

  private static Map<String, Object> chunkBase(CompletionPlan plan, long created) {
    Map<String, Object> chunk = new LinkedHashMap<>();
    chunk.put("id", plan.id());
    chunk.put("object", "chat.completion.chunk");
    chunk.put("created", created);
    chunk.put("model", plan.model());
    return chunk;
  }

  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

  private static void writeData(OutputStream out, byte[] payload) throws IOException {
    out.write(DATA);
    out.write(payload);
    out.write(END);
    out.flush();
  }

  /**
   * A chat.completion object, written field by field: once per call, and a map of maps costs more.
   */
  private static byte[] completionJson(CompletionPlan plan, long created) {
    var out = new ByteArrayBuilder(512);
    try (var g = OPENAI_WIRE.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", plan.id());
      g.writeStringField("object", "chat.completion");
      g.writeNumberField("created", created);
      g.writeStringField("model", plan.model());
      g.writeStringField("system_fingerprint", "promptway-emulator");
      g.writeArrayFieldStart("choices");
      g.writeStartObject();
      g.writeNumberField("index", 0);
      g.writeObjectFieldStart("message");
      g.writeStringField("role", "assistant");
      g.writeStringField("content", plan.text());
      g.writeEndObject();
      g.writeStringField("finish_reason", plan.finishReason());
      g.writeEndObject();
      g.writeEndArray();
      g.writeObjectField("usage", usage(plan.promptTokens(), plan.completionTokens()));
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The usage object of a completion or of a stream's last chunk, in OpenAI's field order. */
  static Map<String, Object> usage(int prompt, int completion) {
    Map<String, Object> usage = new LinkedHashMap<>();
    usage.put("prompt_tokens", prompt);
    usage.put("completion_tokens", completion);
    usage.put("total_tokens", prompt + completion);
    return usage;
  }

  private void meterUsage(
      String requestId, String pattern, String model, int prompt, int completion) {
    if (requestId == null) return;
    meter.record(requestId, pattern, BillableUnit.LLM_INPUT_TOKEN, model, prompt);
    meter.record(requestId, pattern, BillableUnit.LLM_OUTPUT_TOKEN, model, completion);
  }

  private void sleep(Duration simulated) {
    try {
      clock.sleep(simulated);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException("interrupted"));
    }
  }

  /** Waits for the simulated instant {@code due}; false when the caller hung up before it. */
  private static boolean waitUntil(CallerHangUps.Line caller, long due) {
    try {
      return caller.waitUntil(due);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException("interrupted"));
    }
  }

  private static void sendJson(ServerResponse res, int status, Object body) {
    res.status(HttpStatus.of(status));
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    try {
      res.send(OPENAI_WIRE.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
