package io.promptway.scenarios.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The two queued patterns: {@code POST /async/requests} (callback required) and {@code POST
 * /events/requests} (callback optional). After the 202 a webhook client waits for its webhook and
 * polls the status URL only as a fallback, once the webhook is late; a polling client polls every
 * poll interval from the start. Polls are real requests and the runtime bills them, as a polling
 * client's would be.
 */
public final class QueuedClient implements PatternClient {
  private static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled", "expired");

  private final BlockingHttp http;
  private final URI base;
  private final String pattern;
  private final String path;
  private final CallbackReceiver receiver;

  /**
   * {@code pattern} is {@code async} or {@code events}; {@code receiver} may be null for events.
   */
  public QueuedClient(BlockingHttp http, URI base, String pattern, CallbackReceiver receiver) {
    this.http = http;
    this.base = base;
    this.pattern = pattern;
    this.path = pattern.equals("events") ? "/events/requests" : "/async/requests";
    this.receiver = receiver;
  }

  @Override
  public String pattern() {
    return pattern;
  }

  @Override
  public void generate(GenerationCall call, GenerationListener listener) {
    // The async route requires a callback_url, so a polling client registers one there too, but
    // still learns its result by polling.
    boolean webhook = receiver != null && (pattern.equals("async") || call.useWebhook());
    CallbackReceiver.Registration registration =
        webhook ? receiver.register(call.rejectFirstCallback()) : null;
    try {
      ObjectNode body = Wire.body(call);
      if (registration != null) body.put("callback_url", registration.url().toString());
      BlockingHttp.Reply response = http.post(base.resolve(path), call, body, listener);
      if (response.status() != 202 && response.status() != 200) {
        listener.onError(Wire.error(response.status(), response.body()));
        return;
      }
      JsonNode data = Wire.parse(response.body()).path("data");
      String id = data.path("request_id").asText();
      listener.onAccepted(id);
      String statusUrl = data.path("status_url").asText(path + "/" + id);
      await(
          call,
          listener,
          id,
          base.resolve(statusUrl),
          registration == null || !call.useWebhook() ? null : registration.result(),
          pattern);
    } catch (IOException e) {
      listener.onError(
          new ClientError(
              ClientError.Kind.CONNECTION, 0, "CONNECTION", String.valueOf(e.getMessage())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      listener.onError(
          new ClientError(ClientError.Kind.CLIENT_TIMEOUT, 0, "INTERRUPTED", "interrupted"));
    } finally {
      if (registration != null) receiver.forget(registration.token());
    }
  }

  /**
   * Waits for a terminal state by webhook or polling; shared with the hybrid router's async path. A
   * webhook client polls only once its webhook is late ({@link GenerationCall#webhookGrace}); a
   * polling client polls from the start, and takes a webhook too if one arrives first.
   */
  void await(
      GenerationCall call,
      GenerationListener listener,
      String id,
      URI statusUri,
      CompletableFuture<JsonNode> webhook,
      String servedBy)
      throws InterruptedException {
    long deadline = System.nanoTime() + call.timeout().toNanos();
    long interval = call.pollInterval().toNanos();
    if (webhook != null && call.useWebhook()) {
      long grace = Math.min(call.webhookGrace().toNanos(), deadline - System.nanoTime());
      if (awaitWebhook(webhook, grace, listener, id, servedBy)) return;
    }
    while (System.nanoTime() < deadline) {
      long wait = Math.min(interval, deadline - System.nanoTime());
      if (webhook != null && !webhook.isCompletedExceptionally()) {
        if (awaitWebhook(webhook, wait, listener, id, servedBy)) return;
      } else {
        Thread.sleep(Math.max(1, wait / 1_000_000));
      }
      if (poll(call, listener, id, statusUri, servedBy)) return;
    }
    listener.onError(
        new ClientError(ClientError.Kind.CLIENT_TIMEOUT, 0, "CLIENT_TIMEOUT", "no result in time"));
  }

  /** True when the webhook arrived within {@code nanos} and the listener has been told. */
  private static boolean awaitWebhook(
      CompletableFuture<JsonNode> webhook,
      long nanos,
      GenerationListener listener,
      String id,
      String servedBy)
      throws InterruptedException {
    JsonNode delivery;
    try {
      delivery = webhook.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return false;
    }
    JsonNode d = delivery.path("data");
    if (delivery.path("type").asText().endsWith("failed")) {
      JsonNode error = d.path("error");
      listener.onError(
          ClientError.fromCode(
              error.path("code").asText("FAILED"), error.path("message").asText("")));
    } else {
      JsonNode result = d.has("result") ? d.get("result") : d;
      listener.onComplete(Wire.completion(id, result, d, servedBy, null));
    }
    return true;
  }

  private boolean poll(
      GenerationCall call, GenerationListener listener, String id, URI statusUri, String servedBy) {
    try {
      BlockingHttp.Reply response = http.get(statusUri, call);
      if (response.status() != 200) return false;
      JsonNode data = Wire.parse(response.body()).path("data");
      String status = data.path("status").asText("");
      if (!TERMINAL.contains(status)) return false;
      if (status.equals("completed")) {
        listener.onComplete(Wire.completion(id, data.path("result"), data, servedBy, null));
      } else {
        JsonNode error = data.path("error");
        String code =
            error.isTextual() ? error.asText() : error.path("code").asText(status.toUpperCase());
        listener.onError(ClientError.fromCode(code, error.path("message").asText(status)));
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
