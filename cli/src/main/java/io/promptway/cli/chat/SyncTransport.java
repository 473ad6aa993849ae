package io.promptway.cli.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /sync/generate}: the whole reply arrives in one response, so it is printed as one
 * chunk and time to first token equals total latency. Cancelling aborts the HTTP exchange (the
 * function on the platform keeps running and billing).
 */
final class SyncTransport implements ChatTransport {
  private final RuntimeHttp http;

  SyncTransport(RuntimeHttp http) {
    this.http = http;
  }

  @Override
  public String pattern() {
    return "sync";
  }

  @Override
  public TurnResult priceCancelled(TurnResult cancelled) {
    return http.withCostFromLedger(cancelled);
  }

  @Override
  public ChatCall start(TurnRequest request, TokenListener listener) {
    CompletableFuture<TurnResult> result = new CompletableFuture<>();
    CompletableFuture<HttpResponse<String>> exchange =
        http.client()
            .sendAsync(
                http.post("/sync/generate", RuntimeHttp.body(request)).build(),
                HttpResponse.BodyHandlers.ofString());
    ChatCall call = new ChatCall(result, () -> exchange.cancel(true));
    exchange.whenComplete(
        (response, error) -> {
          if (error != null) {
            result.completeExceptionally(error);
            return;
          }
          try {
            JsonNode envelope = RuntimeHttp.parse(response.body());
            if (response.statusCode() != 200) {
              throw RuntimeHttp.failure(response.statusCode(), envelope);
            }
            JsonNode meta = envelope.path("metadata");
            call.requestId(meta.path("request_id").asText(null));
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
}
