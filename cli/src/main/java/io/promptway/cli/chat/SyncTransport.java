package io.promptway.cli.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /sync/generate}: the whole reply arrives in one response, so it is printed as one
 * chunk and time to first token equals total latency. Cancelling stops showing the reply; the
 * function on the platform runs on and is billed to the end, so a cancelled turn is priced from its
 * answer's request once it arrives.
 */
final class SyncTransport implements ChatTransport {
  static final String NO_CANCEL =
      "the function runs on to the end and is billed (sync has no cancel)";

  private final RuntimeHttp http;
  private final RequestLedger ledger;

  SyncTransport(RuntimeHttp http) {
    this.http = http;
    this.ledger = new RequestLedger(http);
  }

  @Override
  public String pattern() {
    return "sync";
  }

  @Override
  public TurnResult failedBill(String requestId) throws InterruptedException {
    return ledger.failed(requestId);
  }

  @Override
  public ChatCall start(TurnRequest request, TokenListener listener) {
    CompletableFuture<TurnResult> result = new CompletableFuture<>();
    CompletableFuture<HttpResponse<String>> exchange =
        http.client()
            .sendAsync(
                http.post("/sync/generate", RuntimeHttp.body(request)).build(),
                HttpResponse.BodyHandlers.ofString());
    CompletableFuture<Void> named = new CompletableFuture<>();
    ChatCall call = new ChatCall(result, () -> {}, (c, wait) -> settle(c, exchange, named, wait));
    exchange.whenComplete(
        (response, error) -> {
          if (error != null) {
            named.complete(null);
            result.completeExceptionally(error);
            return;
          }
          response.headers().firstValue("X-Request-Id").ifPresent(call::requestId);
          named.complete(null);
          try {
            JsonNode envelope = RuntimeHttp.parse(response.body());
            if (response.statusCode() != 200) {
              throw RuntimeHttp.failure(response.statusCode(), envelope);
            }
            JsonNode meta = envelope.path("metadata");
            call.requestId(meta.path("request_id").asText(call.requestId()));
            String text = envelope.path("data").path("text").asText("");
            listener.onToken(text);
            result.complete(
                http.withCostFromLedger(
                    RuntimeHttp.result(
                        call.requestId(),
                        text,
                        envelope.path("data").path("finish_reason").asText(null),
                        meta.get("usage"),
                        meta.get("cost"))));
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        });
    return call;
  }

  /**
   * The answer names the request and carries its final bill, so a cancelled turn waits for it; the
   * exchange is only dropped when the wait ends first.
   */
  private CancelledTurn settle(
      ChatCall call,
      CompletableFuture<HttpResponse<String>> exchange,
      CompletableFuture<Void> named,
      SettleWait wait)
      throws InterruptedException {
    if (!named.isDone()) {
      wait.notice(
          "waiting up to "
              + wait.limit().toSeconds()
              + " s for the runtime's answer and its final bill; Ctrl-C stops waiting");
      wait.await(named);
    }
    if (!exchange.isDone()) exchange.cancel(true);
    if (call.requestId() == null) {
      return new CancelledTurn(
          TurnResult.cancelled(null), NO_CANCEL + "; the runtime had not answered yet", false);
    }
    return ledger.runsOn(call, wait, NO_CANCEL);
  }
}
