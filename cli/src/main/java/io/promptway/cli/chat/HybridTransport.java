package io.promptway.cli.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@code POST /generate}: the hybrid router answers inline (sync, 200), queues the work (async, 202
 * with a status URL that is then polled), or names the endpoint to use instead ({@code stream_url}
 * for SSE or WebSocket, {@code submit_url} for the event bus), which the turn then follows with the
 * same request. The route taken is shown as a notice before the reply.
 */
final class HybridTransport implements ChatTransport {
  private final RuntimeHttp http;
  private final RequestLedger ledger;
  private final SseTransport sse;
  private final PollingTransport polling;
  private final PollingTransport events;
  private WebSocketTransport websocket;

  HybridTransport(RuntimeHttp http) {
    this.http = http;
    this.ledger = new RequestLedger(http);
    this.sse = new SseTransport(http);
    this.polling = PollingTransport.async(http);
    this.events = PollingTransport.events(http);
  }

  @Override
  public String pattern() {
    return "hybrid";
  }

  @Override
  public TurnResult failedBill(String requestId) throws InterruptedException {
    return ledger.failed(requestId);
  }

  /** How one turn was routed: the router's request, and the call it was handed to, if any. */
  private static final class Routing {
    volatile String routerId;
    volatile String route = "the hybrid router";
    final CompletableFuture<ChatCall> handedTo = new CompletableFuture<>();
  }

  @Override
  public ChatCall start(TurnRequest request, TokenListener listener) {
    CompletableFuture<TurnResult> result = new CompletableFuture<>();
    Routing routing = new Routing();
    ChatCall call =
        new ChatCall(
            result,
            () -> {
              ChatCall c = routing.handedTo.getNow(null);
              if (c != null) c.cancel();
            },
            (c, wait) -> settle(c, routing, wait));
    Thread.ofVirtual()
        .name("chat-hybrid")
        .start(
            () -> {
              try {
                route(request, listener, call, routing);
              } catch (ExecutionException e) {
                result.completeExceptionally(e.getCause());
              } catch (Exception e) {
                result.completeExceptionally(e);
              } finally {
                routing.handedTo.complete(null);
              }
            });
    return call;
  }

  private void route(TurnRequest request, TokenListener listener, ChatCall call, Routing routing)
      throws Exception {
    HttpResponse<String> response =
        http.client()
            .send(
                http.post("/generate", RuntimeHttp.body(request)).build(),
                HttpResponse.BodyHandlers.ofString());
    JsonNode envelope = RuntimeHttp.parse(response.body());
    if (response.statusCode() != 200 && response.statusCode() != 202) {
      throw RuntimeHttp.failure(response.statusCode(), envelope);
    }
    JsonNode data = envelope.path("data");
    JsonNode meta = envelope.path("metadata");
    String id = meta.path("request_id").asText(data.path("request_id").asText(null));
    routing.routerId = id;
    call.requestId(id);
    JsonNode route = data.path("routing");
    if (!route.isMissingNode()) {
      routing.route = "routed to " + route.path("pattern").asText("?");
      listener.onNotice(
          routing.route + (route.hasNonNull("reason") ? ": " + route.get("reason").asText() : ""));
    }
    if (data.hasNonNull("stream_url") || data.hasNonNull("submit_url")) {
      follow(request, listener, call, routing, data);
    } else if (response.statusCode() == 202) {
      String statusUrl = data.path("status_url").asText("/async/requests/" + id);
      call.result().complete(polling.await(call, statusUrl, listener));
    } else {
      String text = data.path("text").asText("");
      listener.onToken(text);
      call.result()
          .complete(
              http.withCostFromLedger(
                  RuntimeHttp.result(
                      id,
                      text,
                      data.path("finish_reason").asText(null),
                      meta.get("usage"),
                      meta.get("cost"))));
    }
  }

  /**
   * Sends the same turn to the endpoint the router named and relays its outcome, priced with both
   * requests: the router's answer is billed too.
   */
  private void follow(
      TurnRequest request, TokenListener listener, ChatCall call, Routing routing, JsonNode data)
      throws Exception {
    ChatCall next;
    if (data.hasNonNull("submit_url")) {
      next = events.start(request, listener);
    } else {
      String url = data.get("stream_url").asText();
      if (url.contains("/ws/")) {
        next = websocket().start(request, listener);
      } else {
        HttpRequest post =
            http.post(url, RuntimeHttp.body(request)).header("Accept", "text/event-stream").build();
        next = sse.follow(post, null, listener);
      }
    }
    routing.handedTo.complete(next);
    if (call.result().isDone()) next.cancel(); // cancelled while routing
    TurnResult r = next.result().get();
    call.requestId(r.requestId());
    if (!r.cancelled()) r = ledger.priced(r, routing.routerId, r.requestId());
    call.result().complete(r);
  }

  /**
   * A cancelled turn settles as the pattern it was handed to does, plus the router's own bill; one
   * the router served itself (inline or queued) runs on to the end.
   */
  private CancelledTurn settle(ChatCall call, Routing routing, SettleWait wait)
      throws InterruptedException {
    ChatCall next = wait.await(routing.handedTo);
    if (next == null) {
      return ledger.runsOn(
          call, wait, routing.route + ", which runs on to the end and is billed (no cancel)");
    }
    CancelledTurn inner = next.settle(wait);
    TurnResult priced = ledger.priced(inner.result(), routing.routerId, inner.result().requestId());
    return new CancelledTurn(priced, routing.route + ": " + inner.onServer(), inner.finalBill());
  }

  private synchronized WebSocketTransport websocket() {
    if (websocket == null) websocket = new WebSocketTransport(http);
    return websocket;
  }

  @Override
  public synchronized void close() {
    polling.close();
    events.close();
    if (websocket != null) websocket.close();
  }
}
