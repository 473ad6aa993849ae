package io.promptway.patterns.webhook;

import io.promptway.patterns.Platform;
import io.promptway.patterns.common.RequestParameters;
import io.promptway.runtime.gateway.GenerationRequest;
import io.promptway.runtime.http.Errors;
import io.promptway.runtime.queue.MessageQueue;
import io.promptway.runtime.store.Outcome;
import io.promptway.runtime.store.RequestStatus;

/**
 * Accepts a request for background processing: one short function invocation stores the request and
 * sends it to the queue (in that order, as the seed's handler does). The public service other entry
 * points (the hybrid router) use to go asynchronous.
 */
public final class AsyncIntake {
  private final Platform platform;
  private final MessageQueue queue;

  AsyncIntake(Platform platform, MessageQueue queue) {
    this.platform = platform;
    this.queue = queue;
  }

  /** Where the client polls: {@code /async/requests/{id}}. */
  public static String statusUrl(String requestId) {
    return "/async/requests/" + requestId;
  }

  /**
   * Stores and queues {@code g} under {@code requestId}; the callback URL, when given, must pass
   * the allow-list. Throws a 400 naming callback_url when {@code requireCallback} and none is
   * given.
   */
  public void submit(
      String requestId,
      String pattern,
      GenerationRequest g,
      String caller,
      boolean requireCallback) {
    if (g.callbackUrl() == null) {
      if (requireCallback) {
        throw Errors.validation(
            "callback_url", "is required: the result is delivered to it as a signed webhook");
      }
    } else {
      platform.webhooks().allowList().check("callback_url", g.callbackUrl());
    }
    try {
      platform
          .functions()
          .invoke(
              requestId,
              pattern,
              inv -> {
                var store = platform.store();
                store.create(RequestParameters.newRequest(requestId, pattern, g, caller));
                // QUEUED before the send: a worker may take the message at once
                store.transition(
                    requestId,
                    RequestStatus.RECEIVED,
                    RequestStatus.QUEUED,
                    "queue " + queue.name());
                try {
                  queue.send(AsyncJob.of(requestId, pattern, g).toJson(), requestId);
                } catch (RuntimeException e) {
                  store.transition(
                      requestId,
                      RequestStatus.QUEUED,
                      RequestStatus.FAILED,
                      "could not queue: " + e.getMessage(),
                      Outcome.failed("QUEUE_UNAVAILABLE", e.getMessage()));
                  throw e;
                }
                return null;
              });
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw Errors.internal("could not queue the request: " + e.getMessage(), e);
    }
  }
}
