package io.promptway.cli.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.promptway.runtime.gateway.ChatMessage;
import io.promptway.runtime.http.Json;
import java.io.IOException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code GET /ws/chat}: one connection kept across turns, and a conversation id the client mints.
 * While the server's conversation holds exactly the client's history, a turn sends only the new
 * prompt with that {@code conversation_id}; otherwise (the first turn, after turns over other
 * patterns, after /clear or a cancelled turn) it starts a new conversation carrying the whole
 * history as {@code messages}. Cancelling sends a {@code cancel} message (once the server has named
 * the request, if Ctrl-C came before), and the turn is priced once the server says how it ended.
 * Messages are matched to turns by {@code client_ref} and request id, so a cancelled reply's late
 * tokens never reach the next turn. A connection the server closed between turns (idle timeout) is
 * reopened on the next turn with the same {@code conversation_id}, so the context survives; a drop
 * mid-reply fails that turn with a notice.
 */
final class WebSocketTransport implements ChatTransport {
  private final RuntimeHttp http;
  private final RequestLedger ledger;
  private final Object lock = new Object();
  private WebSocket socket;
  private String conversationId;
  private List<ChatMessage> serverHistory = List.of();
  private Turn turn;
  private String closedBetweenTurns;

  /** Turns the server has not accepted yet, by {@code client_ref}. */
  private final Map<String, Turn> unaccepted = new HashMap<>();

  /** Turns the server accepted and has not ended, by request id (a cancelled one until it ends). */
  private final Map<String, Turn> running = new HashMap<>();

  /** One turn and what has arrived for it. */
  private static final class Turn {
    final ChatCall call;
    final TokenListener listener;
    final TurnRequest request;
    final String clientRef;
    final StringBuilder text = new StringBuilder();

    /** The server's last message for the request: complete, cancelled or error. */
    final CompletableFuture<JsonNode> ended = new CompletableFuture<>();

    final AtomicBoolean cancelSent = new AtomicBoolean();
    volatile boolean cancelRequested;

    Turn(ChatCall call, TokenListener listener, TurnRequest request, String clientRef) {
      this.call = call;
      this.listener = listener;
      this.request = request;
      this.clientRef = clientRef;
    }
  }

  WebSocketTransport(RuntimeHttp http) {
    this.http = http;
    this.ledger = new RequestLedger(http);
  }

  @Override
  public String pattern() {
    return "websocket";
  }

  @Override
  public TurnResult failedBill(String requestId) throws InterruptedException {
    return ledger.failed(requestId);
  }

  @Override
  public ChatCall start(TurnRequest request, TokenListener listener) {
    CompletableFuture<TurnResult> result = new CompletableFuture<>();
    AtomicReference<Turn> self = new AtomicReference<>();
    ChatCall call =
        new ChatCall(result, () -> cancel(self.get()), (c, wait) -> settle(self.get(), wait));
    String clientRef = "chat-" + UUID.randomUUID();
    Turn started = new Turn(call, listener, request, clientRef);
    self.set(started);
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
      message.put("client_ref", clientRef);
      turn = started;
      unaccepted.put(clientRef, started);
    }
    result.whenComplete((r, e) -> finished(started, r));
    try {
      connection(listener).sendText(Json.text(message), true).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      synchronized (lock) {
        unaccepted.remove(clientRef);
      }
      started.ended.completeExceptionally(e);
      result.completeExceptionally(refusal(e));
    }
    return call;
  }

  /**
   * Why a turn could not be sent: the gateway's own answer when it refused the upgrade (a missing
   * or invalid key, a spent budget), else that the WebSocket could not be used.
   */
  private static ChatTransportException refusal(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof WebSocketHandshakeException h) {
        Object body = h.getResponse().body();
        JsonNode parsed = null;
        if (body instanceof String text && !text.isBlank()) {
          try {
            parsed = Json.mapper().readTree(text);
          } catch (IOException | RuntimeException notJson) {
            // the status alone says enough
          }
        }
        return RuntimeHttp.failure(h.getResponse().statusCode(), parsed);
      }
    }
    return new ChatTransportException("cannot send over the WebSocket", e);
  }

  /** Sends the cancel now, or as soon as the server names the request. */
  private void cancel(Turn t) {
    t.cancelRequested = true;
    String id = t.call.requestId();
    if (id != null) sendCancel(t, id);
  }

  private void sendCancel(Turn t, String requestId) {
    if (!t.cancelSent.compareAndSet(false, true)) return;
    WebSocket ws;
    synchronized (lock) {
      ws = socket;
    }
    if (ws == null || ws.isOutputClosed()) return;
    ObjectNode cancel =
        Json.mapper().createObjectNode().put("action", "cancel").put("request_id", requestId);
    ws.sendText(Json.text(cancel), true);
  }

  /** Waits for the server's word on the cancel, then reads what the meter recorded. */
  private CancelledTurn settle(Turn t, SettleWait wait) throws InterruptedException {
    JsonNode end = wait.await(t.ended);
    String id = t.call.requestId();
    TurnResult priced = ledger.priced(ledger.withRecordedPrompt(TurnResult.cancelled(id)), id);
    if (end == null) {
      String why =
          t.ended.isCompletedExceptionally()
              ? "the connection dropped; the server stops the generations of a closed connection"
              : id == null
                  ? "the server had not accepted the request yet"
                  : "cancel sent; the server has not confirmed it yet";
      return new CancelledTurn(priced, why, false);
    }
    return switch (end.path("type").asText()) {
      case "cancelled" ->
          new CancelledTurn(
              priced,
              "cancelled on the server after "
                  + end.path("completion_tokens").asLong()
                  + " tokens; billing stopped",
              true);
      case "complete" ->
          new CancelledTurn(
              priced, "the server had finished before the cancel arrived; billed in full", true);
      default ->
          new CancelledTurn(
              priced, "the server ended it with " + end.path("code").asText("an error"), true);
    };
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
    String type = message.path("type").asText("");
    String id = message.path("request_id").asText(null);
    Turn t;
    synchronized (lock) {
      t =
          switch (type) {
            case "accepted" -> unaccepted.remove(message.path("client_ref").asText(""));
            case "token" -> running.get(id);
            case "complete", "cancelled" -> running.remove(id);
            case "error" -> failedTurn(id, message.path("client_ref").asText(null));
            default -> null;
          };
      if (t != null && type.equals("accepted") && id != null) {
        running.put(id, t);
        if (t == turn && message.hasNonNull("conversation_id"))
          conversationId = message.get("conversation_id").asText();
      }
    }
    if (t == null) return;
    switch (type) {
      case "accepted" -> {
        t.call.requestId(id);
        if (t.cancelRequested && id != null) sendCancel(t, id);
      }
      case "token" -> {
        if (t.call.result().isDone()) return;
        String text = message.path("text").asText("");
        t.text.append(text);
        t.listener.onToken(text);
      }
      case "complete" -> {
        t.ended.complete(message);
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
      case "cancelled" -> {
        t.ended.complete(message);
        t.call.result().complete(TurnResult.cancelled(t.call.requestId()));
      }
      case "error" -> {
        t.ended.complete(message);
        t.call.result().completeExceptionally(RuntimeHttp.failure(0, message));
      }
      default -> {}
    }
  }

  /**
   * The turn an error is about: by request id, else by client_ref (a generate refused before it was
   * accepted), else the turn in flight when the error names neither (the connection's limits).
   */
  private Turn failedTurn(String requestId, String clientRef) {
    Turn t = requestId == null ? null : running.remove(requestId);
    if (t == null && clientRef != null) t = unaccepted.remove(clientRef);
    if (t == null && requestId == null && clientRef == null) t = turn;
    return t;
  }

  private void dropped(WebSocket from, String why) {
    Turn current;
    List<Turn> cut;
    synchronized (lock) {
      if (socket != from) return; // an old connection we replaced or closed ourselves
      current = turn;
      socket = null;
      cut = new ArrayList<>(unaccepted.values());
      cut.addAll(running.values());
      unaccepted.clear();
      running.clear();
    }
    ChatTransportException dropped = new ChatTransportException("WebSocket connection dropped");
    cut.forEach(t -> t.ended.completeExceptionally(dropped));
    if (current == null || current.call.result().isDone()) {
      synchronized (lock) {
        closedBetweenTurns = why;
      }
      return;
    }
    current.listener.onNotice("connection dropped (" + why + "); the next turn reconnects");
    current.call.result().completeExceptionally(dropped);
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
