package io.promptway.cli.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The queued patterns: {@code POST /async/requests} (with a callback URL on a loopback {@link
 * CallbackReceiver}) and {@code POST /events/requests}. The reply arrives whole once the status URL
 * says {@code completed}; a webhook, when one comes, makes the next status read immediate. Every
 * status read is billed (a gateway request and a state read), so a turn that waits for its webhook
 * reads the status only every {@value #FALLBACK_POLL_MILLIS} ms in case the webhook is lost, and
 * one without a webhook backs off from {@value #FIRST_POLL_MILLIS} ms to that: polling every 100 ms
 * made a queued turn's bill mostly its own status reads. Cancelling stops waiting; the platform has
 * no cancel for queued work, so it keeps running, and the turn is priced once it has ended (read
 * from {@code GET /requests/{id}}, which is not billed).
 */
final class PollingTransport implements ChatTransport {
  static final long FIRST_POLL_MILLIS = 100;
  static final long FALLBACK_POLL_MILLIS = 2000;

  static final String NO_CANCEL =
      "the request runs on in the queue and is billed (queued work has no cancel)";

  private final RuntimeHttp http;
  private final RequestLedger ledger;
  private final String pattern;
  private final String submitPath;
  private CallbackReceiver receiver;

  private PollingTransport(RuntimeHttp http, String pattern, String submitPath) {
    this.http = http;
    this.ledger = new RequestLedger(http);
    this.pattern = pattern;
    this.submitPath = submitPath;
  }

  static PollingTransport async(RuntimeHttp http) {
    return new PollingTransport(http, "async", "/async/requests");
  }

  static PollingTransport events(RuntimeHttp http) {
    return new PollingTransport(http, "events", "/events/requests");
  }

  @Override
  public String pattern() {
    return pattern;
  }

  @Override
  public TurnResult failedBill(String requestId) throws InterruptedException {
    return ledger.failed(requestId);
  }

  @Override
  public ChatCall start(TurnRequest request, TokenListener listener) {
    CompletableFuture<TurnResult> result = new CompletableFuture<>();
    ChatCall call = new ChatCall(result, () -> {}, (c, wait) -> ledger.runsOn(c, wait, NO_CANCEL));
    Thread.ofVirtual()
        .name("chat-" + pattern)
        .start(
            () -> {
              try {
                ObjectNode body = RuntimeHttp.body(request);
                if (pattern.equals("async")) body.put("callback_url", receiver().url().toString());
                HttpResponse<String> response =
                    http.client()
                        .send(
                            http.post(submitPath, body).build(),
                            HttpResponse.BodyHandlers.ofString());
                JsonNode envelope = RuntimeHttp.parse(response.body());
                if (response.statusCode() != 202) {
                  throw RuntimeHttp.failure(response.statusCode(), envelope);
                }
                JsonNode data = envelope.path("data");
                String id = data.path("request_id").asText();
                call.requestId(id);
                String statusUrl = data.path("status_url").asText(submitPath + "/" + id);
                result.complete(await(call, statusUrl, listener));
              } catch (Exception e) {
                result.completeExceptionally(e);
              }
            });
    return call;
  }

  /** Polls {@code statusUrl} until the request completes or fails, or the call is cancelled. */
  TurnResult await(ChatCall call, String statusUrl, TokenListener listener)
      throws IOException, InterruptedException {
    String id = call.requestId();
    CompletableFuture<JsonNode> callback =
        receiver == null ? new CompletableFuture<>() : receiver.callbackFor(id);
    String lastRetry = ""; // the attempt last announced, so that each retry is said once
    long pause = receiver == null ? FIRST_POLL_MILLIS : FALLBACK_POLL_MILLIS;
    try {
      while (!call.result().isDone()) {
        JsonNode data = http.getJson(statusUrl).path("data");
        String status = data.path("status").asText("");
        switch (status) {
          case "completed" -> {
            JsonNode r = data.path("result");
            String text = r.path("text").asText("");
            listener.onToken(text);
            TurnResult done =
                http.withCostFromLedger(
                    RuntimeHttp.result(
                        id,
                        text,
                        r.path("finish_reason").asText(null),
                        r.get("usage"),
                        r.get("cost")));
            // the bus's processor may serve the request with a model of its own
            return done.withAnsweredBy(data.path("routing").path("model").asText(null));
          }
          case "failed", "dead_lettered" -> throw RuntimeHttp.failure(0, data);
          default -> {
            String attempt =
                data.path("attempts").asText("?") + "/" + data.path("max_attempts").asText("?");
            if (status.equals("retrying") && !attempt.equals(lastRetry)) {
              listener.onNotice("retrying (attempt " + attempt + ")");
              lastRetry = attempt;
            }
          }
        }
        try {
          callback.get(pause, TimeUnit.MILLISECONDS);
          callback = new CompletableFuture<>();
        } catch (TimeoutException e) {
          pause = Math.min(FALLBACK_POLL_MILLIS, pause * 2); // no webhook yet: poll again
        } catch (ExecutionException e) {
          callback = new CompletableFuture<>();
        }
      }
      return TurnResult.cancelled(id);
    } finally {
      if (receiver != null) receiver.forget(id);
    }
  }

  private synchronized CallbackReceiver receiver() throws IOException {
    if (receiver == null) receiver = new CallbackReceiver();
    return receiver;
  }

  @Override
  public synchronized void close() {
    if (receiver != null) receiver.close();
    receiver = null;
  }
}
