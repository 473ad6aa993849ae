package io.promptway.patterns.common;

import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.http.Envelope;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.metering.Meter;
import io.promptway.runtime.store.RequestRecord;
import io.promptway.runtime.store.RequestStatus;
import io.promptway.runtime.webhook.WebhookDispatcher;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Queues the webhook that tells a client its request finished: {@code {type:
 * "request.completed"|"request.failed", request_id, timestamp, data}}. The webhook id is derived
 * from the request id, so finishing a request twice (a redelivered message) still sends one
 * message.
 */
public final class CallbackNotices {
  private final WebhookDispatcher webhooks;
  private final Meter meter;
  private final SimulatedClock clock;

  public CallbackNotices(WebhookDispatcher webhooks, Meter meter, SimulatedClock clock) {
    this.webhooks = webhooks;
    this.meter = meter;
    this.clock = clock;
  }

  public static String webhookId(String requestId) {
    return "msg_" + requestId;
  }

  /** Queues the notice for a finished request; false if it was already queued. */
  public boolean notifyFinished(RequestRecord r, String callbackUrl) {
    if (callbackUrl == null || !r.status().terminal()) return false;
    boolean ok = r.status() == RequestStatus.COMPLETED;
    String type = ok ? "request.completed" : "request.failed";
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("status", r.status().wire());
    data.put("model", r.model());
    data.put("attempts", r.attempts());
    if (ok) {
      data.put("text", r.result());
      data.put("usage", Envelope.Usage.of(r.promptTokens(), r.completionTokens()));
    } else {
      data.put(
          "error",
          Map.of(
              "code", String.valueOf(r.errorCode()), "message", String.valueOf(r.errorMessage())));
    }
    data.put("cost", meter.cost(r.id()).toEnvelope());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", type);
    body.put("request_id", r.id());
    body.put("timestamp", clock.now());
    body.put("data", data);
    return webhooks.enqueue(webhookId(r.id()), r.id(), callbackUrl, type, Json.text(body));
  }
}
