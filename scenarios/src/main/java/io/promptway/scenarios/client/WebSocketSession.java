package io.promptway.scenarios.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One open {@code /ws/chat} connection on which several generations can run, each matched to its
 * listener by {@code client_ref} and then by {@code request_id}. A chat keeps one session for the
 * whole conversation; the replayer opens one per request.
 */
public final class WebSocketSession implements AutoCloseable {
  private final Map<String, Pending> byRef = new ConcurrentHashMap<>();
  private final Map<String, Pending> byId = new ConcurrentHashMap<>();
  private final AtomicLong refs = new AtomicLong();
  private final WebSocket socket;

  private record Pending(GenerationListener listener, StringBuilder text) {}

  private WebSocketSession(
      HttpClient http, URI uri, Map<String, String> headers, Duration timeout) {
    WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(timeout);
    headers.forEach(builder::header);
    this.socket = builder.buildAsync(uri, new Frames()).join();
  }

  /** Opens a session on {@code base}'s {@code /ws/chat}; throws if the connection fails. */
  public static WebSocketSession open(
      HttpClient http, URI base, Map<String, String> headers, Duration timeout) {
    String scheme = base.getScheme().equals("https") ? "wss" : "ws";
    URI uri = URI.create(scheme + "://" + base.getRawAuthority() + "/ws/chat");
    return new WebSocketSession(http, uri, headers, timeout);
  }

  /** Sends a generate message; the listener hears about it from the socket's thread. */
  public String generate(GenerationCall call, GenerationListener listener) {
    String ref = "r" + refs.incrementAndGet();
    byRef.put(ref, new Pending(listener, new StringBuilder()));
    ObjectNode message = Wire.body(call).put("action", "generate").put("client_ref", ref);
    socket.sendText(message.toString(), true).join();
    return ref;
  }

  public void cancel(String requestId) {
    socket.sendText(
        Wire.JSON
            .createObjectNode()
            .put("action", "cancel")
            .put("request_id", requestId)
            .toString(),
        true);
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket
          .sendClose(WebSocket.NORMAL_CLOSURE, "done")
          .orTimeout(2, TimeUnit.SECONDS)
          .exceptionally(e -> null);
    }
    socket.abort();
  }

  private void dispatch(JsonNode m) {
    String id = m.path("request_id").asText(null);
    Pending p = id == null ? null : byId.get(id);
    switch (m.path("type").asText("")) {
      case "accepted" -> {
        p = byRef.remove(m.path("client_ref").asText(""));
        if (p != null && id != null) {
          byId.put(id, p);
          p.listener().onAccepted(id);
        }
      }
      case "token" -> {
        if (p != null) {
          String t = m.path("text").asText("");
          p.text().append(t);
          p.listener().onToken(m.path("seq").asInt(), t, m.path("at_ms").asDouble(Double.NaN));
        }
      }
      case "complete" -> {
        if (p != null) {
          byId.remove(id);
          p.listener().onComplete(Wire.completion(id, m, m, "websocket", p.text().toString()));
        }
      }
      case "cancelled" -> {
        if (p != null) {
          byId.remove(id);
          p.listener()
              .onError(new ClientError(ClientError.Kind.FAILED, 0, "CANCELLED", "cancelled"));
        }
      }
      case "error" -> {
        if (p == null && m.has("client_ref")) p = byRef.remove(m.path("client_ref").asText());
        if (p == null && id == null && byId.size() + byRef.size() == 1) p = onlyPending();
        if (p != null) {
          if (id != null) byId.remove(id);
          p.listener()
              .onError(
                  ClientError.fromCode(m.path("code").asText(""), m.path("message").asText("")));
        }
      }
      default -> {}
    }
  }

  private Pending onlyPending() {
    var all = new ArrayList<>(byRef.keySet());
    if (!all.isEmpty()) return byRef.remove(all.getFirst());
    var ids = new ArrayList<>(byId.keySet());
    return ids.isEmpty() ? null : byId.remove(ids.getFirst());
  }

  private void failAll(ClientError error) {
    for (Map<String, Pending> map : List.of(byRef, byId)) {
      for (String key : new ArrayList<>(map.keySet())) {
        Pending p = map.remove(key);
        if (p != null) p.listener().onError(error);
      }
    }
  }

  private final class Frames implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        dispatch(Wire.parse(text));
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
      failAll(
          new ClientError(
              ClientError.Kind.DROPPED, 0, "CLOSED", "closed " + status + " " + reason));
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      failAll(
          new ClientError(
              ClientError.Kind.CONNECTION, 0, "CONNECTION", String.valueOf(error.getMessage())));
    }
  }
}
