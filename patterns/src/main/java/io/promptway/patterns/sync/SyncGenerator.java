package io.promptway.patterns.sync;

import io.promptway.patterns.Platform;
import io.promptway.patterns.common.Invocations;
import io.promptway.patterns.common.RequestMetadata;
import io.promptway.patterns.common.RequestParameters;
import io.promptway.runtime.function.FunctionRuntime;
import io.promptway.runtime.function.FunctionTimeoutException;
import io.promptway.runtime.gateway.GenerationRequest;
import io.promptway.runtime.http.ApiException;
import io.promptway.runtime.http.Envelope;
import io.promptway.runtime.http.Errors;
import io.promptway.runtime.llm.LlmCallException;
import io.promptway.runtime.llm.LlmClient;
import io.promptway.runtime.store.Outcome;
import io.promptway.runtime.store.RequestStatus;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The synchronous request path, usable by any entry point (the sync pattern, the hybrid router):
 * the gateway invokes a function that calls the model and waits for it up to the integration
 * timeout. Past the timeout the client gets 504 while the function runs on and is billed to the
 * end, exactly as on the platform; the lifecycle records both.
 *
 * <p>The function calls the provider over HTTP even when the others take the embedded emulator in
 * process: the sync pattern's contract is a function calling a hosted model like a real client
 * does, so its latency and cost include the hop. {@code llm.sync_over_http: false} lets it take the
 * emulator in process too, for comparisons in which no pattern pays for a loopback hop.
 */
public final class SyncGenerator {
  private final Platform platform;
  private final RequestMetadata metadata;
  private final boolean overHttp;

  public SyncGenerator(Platform platform) {
    this.platform = platform;
    this.metadata = new RequestMetadata(platform.clock(), platform.meter());
    this.overHttp = platform.config().llm().syncOverHttp();
  }

  /** The answer for the client: its HTTP status and envelope. */
  public record Result(int status, Envelope envelope, ApiException error) {}

  /**
   * Runs the request's function on the calling thread and returns the client's answer, or empty
   * when the integration timeout passed first: {@code answerLate} has then sent the 504 from
   * another thread while the function ran on, and the caller sends nothing. The late answer should
   * close the connection, which the function still holds until it ends.
   */
  public Optional<Result> generate(
      String requestId,
      String pattern,
      GenerationRequest g,
      String caller,
      long startNanos,
      long requestBytes,
      Consumer<Result> answerLate) {
    var store = platform.store();
    store.create(RequestParameters.newRequest(requestId, pattern, g, caller));
    store.transition(
        requestId,
        RequestStatus.RECEIVED,
        RequestStatus.PROCESSING,
        "gateway invoked the function");
    Duration timeout = platform.gateway().integrationTimeout();
    Optional<LlmClient.Completion> done;
    ApiException error = null;
    try {
      done =
          platform
              .functions()
              .runHere(
                  requestId,
                  pattern,
                  timeout,
                  () -> timedOut(requestId, pattern, timeout, requestBytes, answerLate),
                  inv -> callModel(requestId, pattern, g, inv));
      if (done.isEmpty()) return Optional.empty();
    } catch (ApiException refused) { // the function's concurrency limit
      Invocations.recordNotStarted(
          store, requestId, RequestStatus.PROCESSING, refused, "function", true);
      platform.gateway().billRequest(requestId, pattern, requestBytes + 512);
      return Optional.of(new Result(refused.status(), null, refused));
    } catch (ExecutionException failed) {
      done = Optional.empty();
      error = Invocations.toApi(failed.getCause(), requestId, "function");
    }
    if (error instanceof FunctionTimeoutException stopped) {
      Invocations.recordTimedOut(
          store, requestId, RequestStatus.PROCESSING, stopped, stopped.status());
    }
    if (error != null) {
      platform.gateway().billRequest(requestId, pattern, requestBytes + 512);
      store.note(requestId, "client answered " + error.status() + " " + error.code());
      return Optional.of(new Result(error.status(), null, error));
    }
    LlmClient.Completion c = done.get();
    platform.gateway().billRequest(requestId, pattern, requestBytes + c.text().length() + 512);
    Envelope.Usage usage = Envelope.Usage.of(c.promptTokens(), c.completionTokens());
    var meta = metadata.metered(requestId, pattern, g.model(), usage, startNanos);
    return Optional.of(
        new Result(
            200,
            Envelope.ok(Map.of("text", c.text(), "finish_reason", c.finishReason()), meta),
            null));
  }

  /**
   * The integration timeout passed while the function runs: the client gets 504 and the function
   * runs on, billed to its end. False when the function is just ending (its outcome is recorded),
   * so the caller's thread answers with it instead.
   */
  private boolean timedOut(
      String requestId,
      String pattern,
      Duration timeout,
      long requestBytes,
      Consumer<Result> answerLate) {
    if (!platform
        .store()
        .transition(
            requestId,
            RequestStatus.PROCESSING,
            RequestStatus.TIMED_OUT,
            "integration timeout after "
                + timeout.toMillis()
                + " ms: the client got 504; the function keeps running and billing",
            Outcome.clientStatus(504))) {
      return false;
    }
    ApiException error = Errors.integrationTimeout(timeout);
    platform.gateway().billRequest(requestId, pattern, requestBytes + 512);
    platform.store().note(requestId, "client answered " + error.status() + " " + error.code());
    answerLate.accept(new Result(error.status(), null, error));
    return true;
  }

  private LlmClient.Completion callModel(
      String requestId, String pattern, GenerationRequest g, FunctionRuntime.Invocation inv) {
    var store = platform.store();
    try {
      var call = platform.modelCall(requestId, pattern, g);
      LlmClient.Completion c =
          overHttp ? platform.llm().completeOverHttp(call) : platform.llm().complete(call);
      Outcome outcome = Outcome.completed(c.promptTokens(), c.completionTokens(), c.text());
      if (!store.transition(
          requestId,
          RequestStatus.PROCESSING,
          RequestStatus.COMPLETED,
          "model answered with " + c.completionTokens() + " tokens",
          outcome.withClientStatus(200))) {
        store.transition(
            requestId,
            RequestStatus.TIMED_OUT,
            RequestStatus.COMPLETED,
            "function finished after the client got 504; its whole duration is billed",
            outcome);
      }
      return c;
    } catch (LlmCallException e) {
      if (inv.timedOut()) throw stopped(requestId);
      Outcome failed = Outcome.failed(e.code(), e.getMessage());
      if (!store.transition(
          requestId,
          RequestStatus.PROCESSING,
          RequestStatus.FAILED,
          "model call failed: " + e.getMessage(),
          failed)) {
        store.transition(
            requestId,
            RequestStatus.TIMED_OUT,
            RequestStatus.FAILED,
            "model call failed after the client got 504: " + e.getMessage(),
            failed);
      }
      throw e;
    }
  }

  /**
   * The runtime stopped the function past its maximum duration (the model call was cut by that):
   * recorded as a function timeout, with the 502 the waiting client gets, or after its 504.
   */
  private FunctionTimeoutException stopped(String requestId) {
    Thread.interrupted(); // the interrupt has stopped the model call; the record still gets written
    var timeout = new FunctionTimeoutException(platform.config().function().maxDuration());
    var store = platform.store();
    if (!Invocations.recordTimedOut(
        store, requestId, RequestStatus.PROCESSING, timeout, timeout.status())) {
      Invocations.recordTimedOut(store, requestId, RequestStatus.TIMED_OUT, timeout, null);
    }
    return timeout;
  }
}
