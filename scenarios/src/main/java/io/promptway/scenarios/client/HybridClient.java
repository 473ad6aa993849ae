package io.promptway.scenarios.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;

/**
 * {@code POST /generate}, the hybrid router: follows whichever way it answers — a result (200), an
 * accepted request to wait for (202, with a callback and polling), or a stream URL to read as
 * server-sent events. The completion says which pattern served it.
 */
public final class HybridClient implements PatternClient {
  private final BlockingHttp http;
  private final HttpClient streams;
  private final URI base;
  private final CallbackReceiver receiver;
  private final SseClient sse;
  private final QueuedClient queued;

  /** {@code streams} carries the redirects to server-sent events and WebSocket. */
  public HybridClient(BlockingHttp http, HttpClient streams, URI base, CallbackReceiver receiver) {
    this.http = http;
    this.streams = streams;
    this.base = base;
    this.receiver = receiver;
    this.sse = new SseClient(http, base);
    this.queued = new QueuedClient(http, base, "async", receiver);
  }

  /**
   * The router answered with where to go instead: the same request is sent there, over that
   * pattern's protocol (the router's own bill for the redirect stays with the hybrid pattern).
   */
  private void follow(
      GenerationCall call, GenerationListener listener, JsonNode data, String servedBy)
      throws InterruptedException {
    String target = servedBy.substring(servedBy.indexOf('/') + 1);
    if (data.hasNonNull("submit_url")) {
      new QueuedClient(http, base, "events", receiver)
          .generate(call, following(listener, target, servedBy));
      return;
    }
    String url = data.get("stream_url").asText();
    if (url.endsWith("/ws/chat")) {
      new WebSocketChatClient(streams, base).generate(call, following(listener, target, servedBy));
      return;
    }
    sse.stream(base.resolve(url), call, following(listener, target, null), servedBy, null);
  }

  /**
   * {@code inner}, told {@link GenerationListener#onRedirected} as {@code target} accepts the
   * request, and its completion labelled {@code servedBy} (unless null: the client labels it).
   */
  private static GenerationListener following(
      GenerationListener inner, String target, String servedBy) {
    return new GenerationListener() {
      @Override
      public void onSending() {
        inner.onSending();
      }

      @Override
      public void onAccepted(String requestId) {
        inner.onRedirected(target, requestId);
        inner.onAccepted(requestId);
      }

      @Override
      public void onToken(int seq, String text, double emittedAtMs) {
        inner.onToken(seq, text, emittedAtMs);
      }

      @Override
      public void onComplete(Completion c) {
        inner.onComplete(servedBy == null ? c : c.withServedBy(servedBy, c.reconnects()));
      }

      @Override
      public void onError(ClientError error) {
        inner.onError(error);
      }
    };
  }

  @Override
  public String pattern() {
    return "hybrid";
  }

  @Override
  public void generate(GenerationCall call, GenerationListener listener) {
    CallbackReceiver.Registration registration =
        receiver == null ? null : receiver.register(call.rejectFirstCallback());
    try {
      var body = Wire.body(call);
      if (call.interactive()) body.put("stream", true);
      if (registration != null) body.put("callback_url", registration.url().toString());
      BlockingHttp.Reply response = http.post(base.resolve("/generate"), call, body, listener);
      int status = response.status();
      if (status != 200 && status != 202) {
        listener.onError(Wire.error(status, response.body()));
        return;
      }
      JsonNode envelope = Wire.parse(response.body());
      JsonNode data = envelope.path("data");
      String servedBy =
          "hybrid/" + data.path("routing").path("pattern").asText(status == 202 ? "async" : "sync");
      String id =
          envelope.path("metadata").path("request_id").asText(data.path("request_id").asText(null));
      if (data.hasNonNull("stream_url") || data.hasNonNull("submit_url")) {
        follow(call, listener, data, servedBy);
      } else if (status == 202) {
        listener.onAccepted(id);
        URI statusUri = base.resolve(data.path("status_url").asText("/async/requests/" + id));
        queued.await(
            call,
            listener,
            id,
            statusUri,
            // a polling client learns its result by polling, even when a webhook comes first
            registration == null || !call.useWebhook() ? null : registration.result(),
            servedBy);
      } else {
        listener.onComplete(Wire.completion(id, data, envelope.path("metadata"), servedBy, null));
      }
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
}
