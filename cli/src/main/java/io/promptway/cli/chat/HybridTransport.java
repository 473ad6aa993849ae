package io.promptway.cli.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code POST /generate}: the hybrid router answers inline (sync), with a {@code stream_url} (the
 * reply is then streamed as SSE) or with 202 and a status URL (then polled). The route taken is
 * shown as a notice before the reply.
 */
final class HybridTransport implements ChatTransport {
  private final RuntimeHttp http;
  private final SseTransport sse;
  private final PollingTransport polling;

  HybridTransport(RuntimeHttp http) {
    this.http = http;
    this.sse = new SseTransport(http);
    this.polling = PollingTransport.events(http);
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
                String id =
                    envelope
                        .path("metadata")
                        .path("request_id")
                        .asText(data.path("request_id").asText(null));
                call.requestId(id);
                JsonNode routing = data.path("routing");
                if (!routing.isMissingNode()) {
                  listener.onNotice(
                      "routed to "
                          + routing.path("pattern").asText("?")
                          + (routing.hasNonNull("reason")
                              ? ": " + routing.get("reason").asText()
                              : ""));
                }
                if (data.hasNonNull("stream_url")) {
                  HttpRequest get =
                      HttpRequest.newBuilder(http.resolve(data.get("stream_url").asText()))
                          .header("Accept", "text/event-stream")
                          .GET()
                          .build();
                  ChatCall streaming = sse.follow(get, id, listener);
                  inner.set(streaming);
                  result.complete(streaming.result().get());
                } else if (response.statusCode() == 202) {
                  String statusUrl = data.path("status_url").asText("/events/requests/" + id);
                  result.complete(polling.await(call, statusUrl, listener));
                } else {
                  String text = data.path("text").asText("");
                  listener.onToken(text);
                  JsonNode meta = envelope.path("metadata");
                  result.complete(
                      http.withCostFromLedger(
                          RuntimeHttp.result(
                              id,
                              text,
                              data.path("finish_reason").asText(null),
                              meta.get("usage"),
                              meta.get("cost"))));
                }
              } catch (java.util.concurrent.ExecutionException e) {
                result.completeExceptionally(e.getCause());
              } catch (Exception e) {
                result.completeExceptionally(e);
              }
            });
    return call;
  }

  @Override
  public void close() {
    polling.close();
  }
}
