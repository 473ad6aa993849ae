package io.promptway.patterns.eventbus;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.patterns.Platform;
import io.promptway.patterns.common.AttemptTrail;
import io.promptway.patterns.common.CallbackNotices;
import io.promptway.runtime.bus.CloudEvent;
import io.promptway.runtime.bus.EventTarget;
import io.promptway.runtime.config.RuntimeConfig;
import io.promptway.runtime.function.FunctionRuntime;
import io.promptway.runtime.function.FunctionTimeoutException;
import io.promptway.runtime.gateway.ChatMessage;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.llm.LlmCallException;
import io.promptway.runtime.llm.LlmClient;
import io.promptway.runtime.store.Outcome;
import io.promptway.runtime.store.RequestRecord;
import io.promptway.runtime.store.RequestStatus;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A bus target that serves generation requests: each delivery is one function invocation that calls
 * the model (the processor's own model when it names one, e.g. the fast, dear one for high
 * priority; the request's record then names that model, so every view of it shows the model that
 * answered and billed). A retryable failure sets "retrying" and throws, so the bus retries under
 * its policy and dead-letters the event after the last attempt; a permanent failure fails the
 * request at once. The first processor to take a request serves it, so fan-out never answers a
 * client twice. A request left "processing" that no processor of this runtime serves was abandoned
 * (its runtime stopped mid-call, and the bus redelivers the event at the next start): the processor
 * the event reaches takes it over. A call cut short by the runtime stopping is recorded as nothing,
 * so the redelivery repeats that attempt.
 */
final class EventProcessor implements EventTarget {
  private final String name;
  private final RuntimeConfig.BusProcessor config;
  private final Platform platform;
  private final CallbackNotices notices;
  private final int maxAttempts;
  private final Set<String> serving;

  /**
   * @param serving the ids of the requests the processors of this runtime are serving, shared by
   *     all of them
   */
  EventProcessor(
      String name,
      RuntimeConfig.BusProcessor config,
      Platform platform,
      CallbackNotices notices,
      Set<String> serving) {
    this.name = name;
    this.serving = serving;
    this.config = config;
    this.platform = platform;
    this.notices = notices;
    this.maxAttempts = platform.bus().retryPolicy().maxAttempts();
  }

  @Override
  public void deliver(CloudEvent event, int attempt) throws Exception {
    JsonNode data = event.data();
    String id = data.path("request_id").asText(null);
    if (id == null) return; // not a generation request: nothing to serve
    // each processor is a function of its own, with its own concurrency limit
    platform
        .functions()
        .invoke(id, EventsPattern.NAME, "eventbus-" + name, inv -> serve(id, data, attempt, inv));
  }

  private Void serve(String id, JsonNode data, int attempt, FunctionRuntime.Invocation inv) {
    if (!serving.add(id)) return null; // another processor has it
    try {
      return serveAlone(id, data, attempt, inv);
    } finally {
      serving.remove(id);
    }
  }

  private Void serveAlone(String id, JsonNode data, int attempt, FunctionRuntime.Invocation inv) {
    var store = platform.store();
    Optional<RequestRecord> found = store.find(id);
    if (found.isEmpty()) return null;
    RequestRecord r = found.get();
    String callback = data.path("callback_url").asText(null);
    if (r.status().terminal()) {
      notices.notifyFinished(r, callback);
      return null;
    }
    String model = config.model() != null ? config.model() : data.path("model").asText();
    String abandoned =
        r.status() == RequestStatus.PROCESSING
            ? " (taken over: the runtime serving it stopped before it finished)"
            : "";
    if (!store.transition(
        id,
        r.status(),
        RequestStatus.PROCESSING,
        routedTo(model, r.model()) + ", attempt " + attempt + "/" + maxAttempts + abandoned,
        Outcome.attempts(attempt).withModel(model))) {
      return null;
    }
    try {
      List<ChatMessage> messages =
          Json.mapper()
              .convertValue(
                  data.path("messages"),
                  Json.mapper()
                      .getTypeFactory()
                      .constructCollectionType(List.class, ChatMessage.class));
      LlmClient.Completion c =
          platform
              .llm()
              .complete(
                  platform.modelCall(
                      id,
                      EventsPattern.NAME,
                      model,
                      messages,
                      data.path("max_tokens").asInt(),
                      data.path("temperature").asDouble()));
      store.transition(
          id,
          RequestStatus.PROCESSING,
          RequestStatus.COMPLETED,
          name + " answered with " + c.completionTokens() + " tokens from " + model,
          Outcome.completed(c.promptTokens(), c.completionTokens(), c.text()));
      notifyFinished(id, callback);
      return null;
    } catch (LlmCallException e) {
      if (platform.bus().stopping() && !inv.timedOut()) throw e; // redelivered at the next start
      if (inv
          .timedOut()) { // the runtime stopped the function: that, not the cut call, is the cause
        Thread.interrupted();
        var stopped = new FunctionTimeoutException(platform.config().function().maxDuration());
        attemptFailed(id, attempt, callback, stopped.code(), stopped.getMessage(), true);
        throw stopped;
      }
      attemptFailed(id, attempt, callback, e.code(), e.getMessage(), e.retryable());
      if (e.retryable()) throw e;
      return null;
    }
  }

  /** A permanent failure or the last attempt fails the request; otherwise the bus retries. */
  private void attemptFailed(
      String id, int attempt, String callback, String code, String message, boolean retryable) {
    if (!retryable) {
      fail(id, code, AttemptTrail.permanent(message), callback);
    } else if (attempt >= maxAttempts) {
      fail(id, "MAX_RETRIES_EXCEEDED", AttemptTrail.exhausted(attempt, message), callback);
    } else {
      platform
          .store()
          .transition(
              id,
              RequestStatus.PROCESSING,
              RequestStatus.RETRYING,
              AttemptTrail.retrying(attempt, maxAttempts, code, message, "the bus retries"),
              Outcome.attempts(attempt));
    }
  }

  private String routedTo(String model, String recorded) {
    String to = "routed to " + name + " (" + model + ")";
    return model.equals(recorded) ? to : to + " in place of " + recorded;
  }

  private void fail(String id, String code, String message, String callback) {
    platform
        .store()
        .transition(
            id,
            RequestStatus.PROCESSING,
            RequestStatus.FAILED,
            message,
            Outcome.failed(code, message));
    notifyFinished(id, callback);
  }

  private void notifyFinished(String id, String callback) {
    platform.store().find(id).ifPresent(r -> notices.notifyFinished(r, callback));
  }
}
