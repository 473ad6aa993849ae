package io.promptway.patterns.webhook;

import io.promptway.patterns.Platform;
import io.promptway.patterns.common.AttemptTrail;
import io.promptway.patterns.common.CallbackNotices;
import io.promptway.runtime.bus.CloudEvent;
import io.promptway.runtime.function.FunctionRuntime;
import io.promptway.runtime.function.FunctionTimeoutException;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.llm.LlmCallException;
import io.promptway.runtime.llm.LlmClient;
import io.promptway.runtime.queue.MessageQueue;
import io.promptway.runtime.queue.ReceivedMessage;
import io.promptway.runtime.store.Outcome;
import io.promptway.runtime.store.RequestRecord;
import io.promptway.runtime.store.RequestStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a worker does with one message: the attempt number is the message's receive count, so a
 * worker that died mid-call counts as an attempt and the message returns after its visibility
 * timeout. Retryable failures (timeouts, 429, 5xx, and the worker's invocation stopped past the
 * function's maximum duration, which the platform retries as it does a failed batch) set status
 * "retrying" and hide the message for an exponential backoff; permanent ones (other 4xx) fail at
 * once; the last attempt fails with "max retries exceeded". Every failure publishes an error event
 * on the bus. A request already finished (a redelivered message) only makes sure its webhook is
 * queued, so the client sees it finish once.
 */
final class AsyncJobHandler {
  private static final Logger LOG = Logger.getLogger(AsyncJobHandler.class.getName());
  static final String ERROR_EVENT = "io.promptway.request.error";

  private final Platform platform;
  private final MessageQueue queue;
  private final CallbackNotices notices;
  private final RetryBackoff backoff;
  private final int maxAttempts;

  AsyncJobHandler(Platform platform, MessageQueue queue, CallbackNotices notices) {
    this.platform = platform;
    this.queue = queue;
    this.notices = notices;
    var cfg = platform.config().async();
    this.backoff = new RetryBackoff(cfg.retryBase(), cfg.retryMax());
    this.maxAttempts = cfg.maxAttempts();
  }

  int maxAttempts() {
    return maxAttempts;
  }

  /**
   * @param alive false once the workers are stopping: a stopping worker records nothing more
   * @param invocation the worker's invocation, which the runtime may stop past its maximum duration
   */
  void handle(
      ReceivedMessage m,
      AsyncJob job,
      BooleanSupplier alive,
      FunctionRuntime.Invocation invocation) {
    var store = platform.store();
    Optional<RequestRecord> found = store.find(job.requestId());
    if (found.isEmpty()) {
      queue.delete(m.receiptHandle()); // expired or unknown: nothing to answer
      return;
    }
    RequestRecord r = found.get();
    if (r.status().terminal()) {
      notices.notifyFinished(r, job.callbackUrl());
      queue.delete(m.receiptHandle());
      return;
    }
    int attempt = m.receiveCount();
    if (attempt > maxAttempts) {
      fail(
          r.status(), job, m, "MAX_RETRIES_EXCEEDED", "max retries exceeded (" + maxAttempts + ")");
      return;
    }
    String detail =
        "attempt "
            + attempt
            + "/"
            + maxAttempts
            + (r.status() == RequestStatus.PROCESSING
                ? " (the previous worker stopped before finishing)"
                : "");
    if (!store.transition(
        job.requestId(), r.status(), RequestStatus.PROCESSING, detail, Outcome.attempts(attempt))) {
      return; // another worker moved it; the message returns if that worker dies too
    }
    try {
      LlmClient.Completion c =
          platform
              .llm()
              .complete(
                  platform.modelCall(
                      job.requestId(),
                      job.pattern(),
                      job.model(),
                      job.messages(),
                      job.maxTokens(),
                      job.temperature()));
      store.transition(
          job.requestId(),
          RequestStatus.PROCESSING,
          RequestStatus.COMPLETED,
          "model answered with " + c.completionTokens() + " tokens on attempt " + attempt,
          Outcome.completed(c.promptTokens(), c.completionTokens(), c.text()));
      finish(job, m);
    } catch (LlmCallException e) {
      if (!alive.getAsBoolean()) return;
      if (invocation.timedOut()) {
        Thread.interrupted(); // the interrupt has stopped the model call; the attempt is recorded
        attemptFailed(job, m, attempt, AttemptFailure.of(stopped()));
      } else if (!Thread.currentThread().isInterrupted()) {
        attemptFailed(job, m, attempt, AttemptFailure.of(e));
      }
    }
  }

  private FunctionTimeoutException stopped() {
    return new FunctionTimeoutException(platform.config().function().maxDuration());
  }

  /**
   * A failed attempt: retryable ones set "retrying" and hide the message for the backoff, the last
   * one or a permanent one fails the request.
   */
  private void attemptFailed(AsyncJob job, ReceivedMessage m, int attempt, AttemptFailure f) {
    publishError(job, attempt, f);
    if (!f.retryable()) {
      fail(RequestStatus.PROCESSING, job, m, f.code(), AttemptTrail.permanent(f.message()));
    } else if (attempt >= maxAttempts) {
      fail(
          RequestStatus.PROCESSING,
          job,
          m,
          "MAX_RETRIES_EXCEEDED",
          AttemptTrail.exhausted(attempt, f.message()));
    } else {
      Duration delay = backoff.after(attempt, f.retryAfter());
      platform
          .store()
          .transition(
              job.requestId(),
              RequestStatus.PROCESSING,
              RequestStatus.RETRYING,
              AttemptTrail.retrying(
                  attempt,
                  maxAttempts,
                  f.code(),
                  f.message(),
                  "next attempt in " + delay.toMillis() + " ms"),
              Outcome.attempts(attempt));
      queue.changeVisibility(m.receiptHandle(), delay);
    }
  }

  private void fail(
      RequestStatus from, AsyncJob job, ReceivedMessage m, String code, String message) {
    platform
        .store()
        .transition(
            job.requestId(), from, RequestStatus.FAILED, message, Outcome.failed(code, message));
    finish(job, m);
  }

  private void finish(AsyncJob job, ReceivedMessage m) {
    platform
        .store()
        .find(job.requestId())
        .ifPresent(r -> notices.notifyFinished(r, job.callbackUrl()));
    queue.delete(m.receiptHandle());
  }

  private void publishError(AsyncJob job, int attempt, AttemptFailure f) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("request_id", job.requestId());
    data.put("attempt", attempt);
    data.put("max_attempts", maxAttempts);
    data.put("code", f.code());
    data.put("status", f.status());
    data.put("message", f.message());
    data.put("retryable", f.retryable());
    try {
      platform
          .bus()
          .publish(
              CloudEvent.of(
                  "/async/workers",
                  ERROR_EVENT,
                  platform.clock().now(),
                  Json.mapper().valueToTree(data)),
              job.requestId(),
              job.pattern());
    } catch (RuntimeException ex) {
      LOG.log(Level.WARNING, "could not publish the error event of " + job.requestId(), ex);
    }
  }
}
