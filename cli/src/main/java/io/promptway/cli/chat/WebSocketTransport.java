package io.promptway.cli.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.promptway.runtime.gateway.ChatMessage;
import io.promptway.runtime.http.Json;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /ws/chat}: one connection kept across turns, and a conversation id the client mints.
 * While the server's conversation holds exactly the client's history, a turn sends only the new
 * prompt with that {@code conversation_id}; otherwise (the first turn, after turns over other
 * patterns, after /clear or a cancelled turn) it starts a new conversation carrying the whole
 * history as {@code messages}. Cancelling sends a {@code cancel} message. A connection the server
 * closed between turns (idle timeout) is reopened on the next turn with the same {@code
 * conversation_id}, so the context survives; a drop mid-reply fails that turn with a notice.
 */
final class WebSocketTransport implements ChatTransport {
  private final RuntimeHttp http;
  private final Object lock = new Object();
  private WebSocket socket;
  private String conversationId;
  private List<ChatMessage> serverHistory = List.of();
  private Turn turn;
  private String closedBetweenTurns;

  /** The turn in flight and what has arrived for it. */
  private static final class Turn {
    final ChatCall call;
    final TokenListener listener;
    final TurnRequest request;
    final StringBuilder text = new StringBuilder();
    boolean cancelRequested;

    Turn(ChatCall call, TokenListener listener, TurnRequest request) {
      this.call = call;
      this.listener = listener;
      this.request = request;
    }
  }

  WebSocketTransport(RuntimeHttp http) {
    this.http = http;
  }

  @Override
  public String pattern() {
    return "websocket";
  }

  @Override
  public TurnResult priceCancelled(TurnResult cancelled) {
    return http.withCostFromLedger(cancelled);
  }

  @Override
  public ChatCall start(TurnRequest request, TokenListener listener) {
    CompletableFuture<TurnResult> result = new CompletableFuture<>();
    ChatCall call = new ChatCall(result, this::cancelCurrent);
    Turn started = new Turn(call, listener, request);
    ObjectNode message = Json.mapper().createObjectNode().put("action", "generate");
    synchronized (lock) {
      if (conversationId != null && request.history().equals(serverHistory)) {
        message.put("prompt", request.prompt());
      } else {
        conversationId = "chat-" + UUID.randomUUID();
        message.set("messages", RuntimeHttp.messages(request));
      }
      message.put("conversation_id", conversationId);
      if (request.model() != null) message.put("model", request.model());
      message.put("client_ref", "chat-" + System.nanoTime());
      turn = started;
    }
    result.whenComplete((r, e) -> finished(started, r));
    try {
      connection(listener).sendText(Json.text(message), true).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      result.completeExceptionally(new ChatTransportException("cannot send over the WebSocket", e));
    }
    return call;
  }

  private void cancelCurrent() {
    Turn t;
    synchronized (lock) {
      t = turn;
      if (t == null) return;
      t.cancelRequested = true;
    }
    String id = t.call.requestId();
    if (id != null) sendCancel(id);
  }

  private void sendCancel(String requestId) {
    WebSocket ws;
    synchronized (lock) {
      ws = socket;
    }
    if (ws == null || ws.isOutputClosed()) return;
    ObjectNode cancel =
        Json.mapper().createObjectNode().put("action", "cancel").put("request_id", requestId);
    ws.sendText(Json.text(cancel), true);
  }

  private void finished(Turn t, TurnResult result) {
    synchronized (lock) {
      if (turn == t) turn = null;
      if (result != null && !result.cancelled()) {
        List<ChatMessage> known = new ArrayList<>(t.request.messages());
        known.add(ChatMessage.assistant(result.text()));
        serverHistory = List.copyOf(known);
      } else {
        // The server keeps a cancelled turn's partial reply: that context is no longer ours.
        serverHistory = null;
      }
    }
  }

  private WebSocket connection(TokenListener listener) throws Exception {
    String droppedBefore;
    synchronized (lock) {
      if (socket != null && !socket.isOutputClosed() && !socket.isInputClosed()) return socket;
      droppedBefore = closedBetweenTurns;
      closedBetweenTurns = null;
    }
    WebSocket ws =
        http.websocketBuilder()
            .buildAsync(http.websocket("/ws/chat"), new Listener())
            .get(5, TimeUnit.SECONDS);
    synchronized (lock) {
      socket = ws;
    }
    if (droppedBefore != null) {
      listener.onNotice(
          "the connection had closed ("
              + droppedBefore
              + "); reconnected"
              + (conversationId == null ? "" : ", continuing conversation " + conversationId));
    }
    return ws;
  }

  private void onMessage(JsonNode message) {
    Turn t;
    synchronized (lock) {
      t = turn;
    }
    if (t == null) return;
    String type = message.path("type").asText("");
    switch (type) {
      case "accepted" -> {
        String id = message.path("request_id").asText(null);
        t.call.requestId(id);
        synchronized (lock) {
          if (message.hasNonNull("conversation_id"))
            conversationId = message.get("conversation_id").asText();
        }
        if (t.cancelRequested && id != null) sendCancel(id);
      }
      case "token" -> {
        String text = message.path("text").asText("");
        t.text.append(text);
        t.listener.onToken(text);
      }
      case "complete" -> {
        TurnResult r =
            RuntimeHttp.result(
                message.path("request_id").asText(t.call.requestId()),
                t.text.toString(),
                message.path("finish_reason").asText(null),
                message.get("usage"),
                message.get("cost"));
        CompletableFuture.supplyAsync(() -> http.withCostFromLedger(r))
            .thenAccept(t.call.result()::complete);
      }
      case "cancelled" -> t.call.result().complete(TurnResult.cancelled(t.call.requestId()));
      case "error" -> t.call.result().completeExceptionally(RuntimeHttp.failure(0, message));
      default -> {}
    }
  }

  private void dropped(WebSocket from, String why) {
    Turn t;
    synchronized (lock) {
      if (socket != from) return; // an old connection we replaced or closed ourselves
      t = turn;
      socket = null;
      if (t == null || t.call.result().isDone()) {
        closedBetweenTurns = why;
        return;
      }
    }
    t.listener.onNotice("connection dropped (" + why + "); the next turn reconnects");
    t.call
        .result()
        .completeExceptionally(new ChatTransportException("WebSocket connection dropped"));
  }

  @Override
  public void close() {
    WebSocket ws;
    synchronized (lock) {
      ws = socket;
      socket = null;
    }
    if (ws != null) ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(1, TimeUnit.SECONDS);
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        try {
          onMessage(RuntimeHttp.parse(text));
        } catch (RuntimeException e) {
          dropped(ws, e.getMessage());
        }
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      dropped(
          ws, "closed " + statusCode + (reason == null || reason.isEmpty() ? "" : " " + reason));
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      dropped(
          ws, error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage());
    }
  }
}
