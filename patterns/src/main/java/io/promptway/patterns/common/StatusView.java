package io.promptway.patterns.common;

import io.promptway.runtime.http.Envelope;
import io.promptway.runtime.metering.CostBreakdown;
import io.promptway.runtime.store.RequestRecord;
import io.promptway.runtime.store.RequestStatus;
import io.promptway.runtime.webhook.WebhookDelivery;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The status document of a request served in the background (queue + webhook, event bus): status,
 * attempts, the result once done, the error once failed, and where its webhook stands.
 */
public final class StatusView {
  private StatusView() {}

  public static Map<String, Object> of(
      RequestRecord r, int maxAttempts, CostBreakdown cost, List<WebhookDelivery> webhooks) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("request_id", r.id());
    v.put("pattern", r.pattern());
    v.put("status", r.status().wire());
    v.put("attempts", r.attempts());
    v.put("max_attempts", maxAttempts);
    if (r.status() == RequestStatus.RETRYING || r.status() == RequestStatus.PROCESSING) {
      v.put("detail", "attempt " + Math.max(1, r.attempts()) + "/" + maxAttempts);
    }
    v.put("model", r.model());
    v.put("created_at", r.createdAt());
    v.put("updated_at", r.updatedAt());
    if (r.completedAt() != null) v.put("completed_at", r.completedAt());
    if (r.status() == RequestStatus.COMPLETED) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("text", r.result());
      result.put("usage", Envelope.Usage.of(r.promptTokens(), r.completionTokens()));
      result.put("cost", cost.toEnvelope());
      v.put("result", result);
    } else {
      v.put("cost", cost.toEnvelope());
    }
    if (r.errorCode() != null) {
      v.put("error", Map.of("code", r.errorCode(), "message", String.valueOf(r.errorMessage())));
    }
    if (!webhooks.isEmpty()) {
      WebhookDelivery w = webhooks.get(webhooks.size() - 1);
      Map<String, Object> hook = new LinkedHashMap<>();
      hook.put("webhook_id", w.id());
      hook.put("status", w.status().wire());
      hook.put("attempts", w.attempts());
      if (w.lastStatusCode() != null) hook.put("last_status_code", w.lastStatusCode());
      v.put("webhook", hook);
    }
    return v;
  }
}
