package io.promptway.patterns.sse;

import io.promptway.patterns.Platform;
import io.promptway.patterns.common.EmitTime;
import io.promptway.patterns.common.Invocations;
import io.promptway.runtime.gateway.GenerationRequest;
import io.promptway.runtime.http.ApiException;
import io.promptway.runtime.http.Envelope;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.llm.LlmClient;
import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.store.Outcome;
import io.promptway.runtime.store.RequestStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One streamed generation: a function invocation (response streaming) that calls the model and
 * appends each token to the request's {@link EventLog}, then a {@code complete} or {@code error}
 * event. It runs independently of any client connection, so a client that drops changes nothing
 * here: the function streams to the end and is billed to the end, as on the platform.
 *
 * <p>Billed: the function's request and streamed duration, and the bytes it streamed beyond the
 * first 6 MB ({@code FUNCTION_STREAMED_GB}); the provider meters tokens.
 */
final class SseGeneration {
  static final long UNBILLED_STREAM_BYTES = 6L * 1024 * 1024;
  private static final double GB = 1024.0 * 1024 * 1024;

  private final Platform platform;
  private final String pattern;
  private final String requestId;
  private final GenerationRequest request;
  private final EventLog log;
  private final long startNanos;
  private final AtomicLong streamedBytes = new AtomicLong();

  SseGeneration(
      Platform platform,
      String pattern,
      String requestId,
      GenerationRequest request,
      EventLog log,
      long startNanos) {
    this.platform = platform;
    this.pattern = pattern;
    this.requestId = requestId;
    this.request = request;
    this.log = log;
    this.startNanos = startNanos;
  }

  /**
   * Starts the function; throws at once (429) when the function concurrency limit is reached, so
   * the client gets an HTTP error rather than a stream.
   */
  Future<LlmClient.Completion> start() {
    return platform.functions().start(requestId, pattern, inv -> stream());
  }

  /** Waits for the function (billed by then) and appends the terminal event. */
  void finish(Future<LlmClient.Completion> invocation) {
    var ended = Invocations.await(invocation, requestId, "function");
    LlmClient.Completion completion = ended.value();
    ApiException failure = ended.failure();
    try {
      if (completion != null) complete(completion);
      else fail(failure);
    } finally {
      billStreamedBytes();
    }
  }

  private LlmClient.Completion stream() {
    platform
        .store()
        .transition(
            requestId,
            RequestStatus.RECEIVED,
            RequestStatus.STREAMING,
            "function streaming the model's tokens");
    return platform.llm().stream(
        platform.modelCall(requestId, pattern, request),
        (token, emittedAt) -> {
          double atMs = EmitTime.msSince(startNanos, emittedAt, platform.clock());
          long id = log.appendToken(token, atMs);
          streamedBytes.addAndGet(SseFrames.tokenEventLength(id, token, atMs));
        },
        new LlmClient.Cancellation());
  }

  private void complete(LlmClient.Completion c) {
    Outcome outcome =
        Outcome.completed(c.promptTokens(), c.completionTokens(), c.text()).withClientStatus(200);
    String detail = "streamed " + c.completionTokens() + " tokens";
    if (!platform
        .store()
        .transition(requestId, RequestStatus.STREAMING, RequestStatus.COMPLETED, detail, outcome)) {
      platform
          .store()
          .transition(
              requestId,
              RequestStatus.CLIENT_DISCONNECTED,
              RequestStatus.COMPLETED,
              detail + " after the client went away; the whole stream was billed",
              outcome);
    }
    billStreamedBytes();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("request_id", requestId);
    data.put("usage", Envelope.Usage.of(c.promptTokens(), c.completionTokens()));
    data.put("cost", platform.meter().cost(requestId).toEnvelope());
    data.put("latency_ms", latencyMs());
    data.put("finish_reason", c.finishReason());
    StreamEvent e = log.finish(StreamEvent.COMPLETE, Json.text(data), platform.clock().nanos());
    streamedBytes.addAndGet(SseFrames.event(e).length);
  }

  private void fail(ApiException error) {
    Outcome outcome = Outcome.failed(error.code(), error.getMessage());
    if (!platform
        .store()
        .transition(
            requestId,
            RequestStatus.STREAMING,
            RequestStatus.FAILED,
            "stream failed: " + error.getMessage(),
            outcome)) {
      if (!platform
          .store()
          .transition(
              requestId,
              RequestStatus.CLIENT_DISCONNECTED,
              RequestStatus.FAILED,
              "stream failed: " + error.getMessage(),
              outcome)) {
        platform
            .store()
            .transition(
                requestId,
                RequestStatus.RECEIVED,
                RequestStatus.FAILED,
                "stream failed: " + error.getMessage(),
                outcome);
      }
    }
    boolean explain = error.isClientError() || platform.config().environment().showsDetails();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("code", error.code());
    data.put("message", explain ? error.getMessage() : "the stream could not be completed");
    data.put("request_id", requestId);
    StreamEvent e = log.finish(StreamEvent.ERROR, Json.text(data), platform.clock().nanos());
    streamedBytes.addAndGet(SseFrames.event(e).length);
  }

  private double latencyMs() {
    return (platform.clock().nanos() - startNanos) / 1e6;
  }

  private final AtomicLong billedBytes = new AtomicLong();

  /**
   * Bills the bytes beyond the free 6 MB once, whichever of complete/fail/finally gets here first.
   */
  private void billStreamedBytes() {
    long billable = Math.max(0, streamedBytes.get() - UNBILLED_STREAM_BYTES);
    long already = billedBytes.getAndSet(billable);
    if (billable > already) {
      platform
          .meter()
          .record(requestId, pattern, BillableUnit.FUNCTION_STREAMED_GB, (billable - already) / GB);
    }
  }
}
