package io.promptway.cli.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code POST /generate}: the hybrid router answers inline (sync, 200), queues the work (async, 202
 * with a status URL that is then polled), or names the endpoint to use instead ({@code stream_url}
 * for SSE or WebSocket, {@code submit_url} for the event bus), which the turn then follows with the
 * same request. The route taken is shown as a notice before the reply.
 */
final class HybridTransport implements ChatTransport {
  private final RuntimeHttp http;
  private final SseTransport sse;
  private final PollingTransport polling;
  private final PollingTransport events;
  private WebSocketTransport websocket;

  HybridTransport(RuntimeHttp http) {
    this.http = http;
    this.sse = new SseTransport(http);
    this.polling = PollingTransport.async(http);
    this.events = PollingTransport.events(http);
  }

  @Override
  public String pattern() {
    return "hybrid";
  }

  @Override
  public TurnResult priceCancelled(TurnResult cancelled) {
    return http.withCostFromLedger(cancelled);
  }

  @Override
  public ChatCall start(TurnRequest request, TokenListener listener) {
    CompletableFuture<TurnResult> result = new CompletableFuture<>();
    AtomicReference<ChatCall> inner = new AtomicReference<>();
    ChatCall call =
        new ChatCall(
            result,
            () -> {
              ChatCall c = inner.get();
              if (c != null) c.cancel();
            });
    Thread.ofVirtual()
        .name("chat-hybrid")
        .start(
            () -> {
              try {
                route(request, listener, call, inner);
              } catch (ExecutionException e) {
                result.completeExceptionally(e.getCause());
              } catch (Exception e) {
                result.completeExceptionally(e);
              }
            });
    return call;
  }

  private void route(
      TurnRequest request, TokenListener listener, ChatCall call, AtomicReference<ChatCall> inner)
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
    call.requestId(id);
    JsonNode routing = data.path("routing");
    if (!routing.isMissingNode()) {
      listener.onNotice(
          "routed to "
              + routing.path("pattern").asText("?")
              + (routing.hasNonNull("reason") ? ": " + routing.get("reason").asText() : ""));
    }
    if (data.hasNonNull("stream_url") || data.hasNonNull("submit_url")) {
      follow(request, listener, call, inner, data);
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

  /** Sends the same turn to the endpoint the router named and relays its outcome. */
  private void follow(
      TurnRequest request,
      TokenListener listener,
      ChatCall call,
      AtomicReference<ChatCall> inner,
      JsonNode data)
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
    inner.set(next);
    if (call.result().isDone()) next.cancel(); // cancelled while routing
    TurnResult r = next.result().get();
    call.requestId(r.requestId());
    call.result().complete(r);
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
