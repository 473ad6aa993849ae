package io.promptway.patterns.common;

import io.promptway.runtime.function.FunctionTimeoutException;
import io.promptway.runtime.http.ApiException;
import io.promptway.runtime.llm.LlmCallException;
import io.promptway.runtime.store.Outcome;
import io.promptway.runtime.store.RequestStatus;
import io.promptway.runtime.store.RequestStore;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Waits for a function invocation and turns how it ended into what a client is told. */
public final class Invocations {
  private static final Logger LOG = Logger.getLogger(Invocations.class.getName());

  private Invocations() {}

  /** The invocation's value, or the failure to report; exactly one is set. */
  public record Ended<T>(T value, ApiException failure) {}

  /**
   * @param requestId for the log line of an unexpected failure
   * @param what what ran, for the client's message (e.g. "function", "handler")
   */
  public static <T> Ended<T> await(Future<T> invocation, String requestId, String what) {
    try {
      return new Ended<>(invocation.get(), null);
    } catch (ExecutionException e) {
      return new Ended<>(null, toApi(e.getCause(), requestId, what));
    } catch (Exception e) {
      return new Ended<>(null, toApi(e, requestId, what));
    }
  }

  /**
   * What the client is told of an invocation that ended in {@code t}: a model error as the
   * provider's, a function timeout as 502 {@code FUNCTION_TIMEOUT}, anything unexpected as 500
   * (logged).
   */
  public static ApiException toApi(Throwable t, String requestId, String what) {
    if (t instanceof LlmCallException e) return ModelErrors.toApi(e);
    if (t instanceof ApiException e) return e;
    if (t instanceof InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ApiException(503, "SHUTTING_DOWN", "the runtime is shutting down", null, null, e);
    }
    LOG.log(Level.WARNING, what + " of " + requestId + " failed", t);
    return new ApiException(
        500, "INTERNAL_ERROR", "the " + what + " failed: " + t.getMessage(), null, null, t);
  }

  /**
   * Records that the function was stopped past its maximum duration: the request moves from {@code
   * from} to failed with {@code FUNCTION_TIMEOUT}. Both the function (whose work was interrupted)
   * and the client's side (told first) may call it; the conditional transition records it once.
   *
   * @param clientStatus the HTTP status the client gets, when it is still waiting
   */
  public static boolean recordTimedOut(
      RequestStore store,
      String requestId,
      RequestStatus from,
      FunctionTimeoutException timeout,
      Integer clientStatus) {
    Outcome outcome = Outcome.failed(timeout.code(), timeout.getMessage());
    return store.transition(
        requestId,
        from,
        RequestStatus.FAILED,
        timeout.getMessage(),
        clientStatus == null ? outcome : outcome.withClientStatus(clientStatus));
  }

  /**
   * Records that the function never started (its concurrency limit refused it): the request moves
   * from {@code from} to failed with the refusal's code, and with the HTTP status the client got
   * when it was answered over HTTP.
   *
   * @param what what was not started, for the audit trail (e.g. "function", "handler")
   */
  public static void recordNotStarted(
      RequestStore store,
      String requestId,
      RequestStatus from,
      ApiException refusal,
      String what,
      boolean answeredOverHttp) {
    Outcome outcome = Outcome.failed(refusal.code(), refusal.getMessage());
    store.transition(
        requestId,
        from,
        RequestStatus.FAILED,
        what + " not started: " + refusal.getMessage(),
        answeredOverHttp ? outcome.withClientStatus(refusal.status()) : outcome);
  }
}
