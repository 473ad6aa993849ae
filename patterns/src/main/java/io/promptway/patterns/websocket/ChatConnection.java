package io.promptway.patterns.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.promptway.patterns.common.Invocations;
import io.promptway.patterns.common.RequestParameters;
import io.promptway.runtime.db.RequestIds;
import io.promptway.runtime.gateway.ApiClient;
import io.promptway.runtime.gateway.GenerationRequest;
import io.promptway.runtime.http.ApiException;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.llm.LlmClient;
import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.store.RequestStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client connection on {@code /ws/chat}: the platform's $connect, $default and $disconnect
 * routes in one listener. Reads {@code generate} and {@code cancel} actions, runs each generation
 * as its own function invocation, keeps the connection's current conversation, enforces the message
 * size limit with an error message (the connection stays open), and on close stops every generation
 * it started.
 *
 * <p>Billed per connection (to its connection id): the $connect and $disconnect invocations and
 * connection-minutes; per request: messages in both directions in 32 KB units, the handler's
 * function time, state reads and writes, tokens. All of it is the caller's who opened the
 * connection (the API key's name, or anonymous), for budgets and metrics alike.
 */
final class ChatConnection implements WsListener, ConnectionWatchdog.Watched {
  private final ChatContext ctx;
  private final String connectionId;
  private final MessageAssembler assembler;
  private final Map<String, ChatGeneration> active = new ConcurrentHashMap<>();
  private final ReentrantLock sendLock = new ReentrantLock();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile ApiClient caller = ApiClient.ANONYMOUS;
  private volatile WsSession session;
  // the connection's own thread, which reads its frames: Helidon ends it, without telling the
  // listener, when the peer goes away without a close frame
  private volatile Thread reader;
  private volatile long openedAt;
  private volatile long lastActivity;
  private volatile String conversationId;

  ChatConnection(ChatContext ctx) {
    this.ctx = ctx;
    this.connectionId = "conn_" + RequestIds.next().substring(4);
    this.assembler = new MessageAssembler(ctx.platform().config().websocket().maxMessageBytes());
  }

  @Override
  public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
    caller = ctx.platform().connections().callerOf(headers);
    return Optional.empty();
  }

  @Override
  public void onOpen(WsSession session) {
    long start = now();
    ctx.platform().connections().attribute(connectionId, caller);
    this.session = session;
    this.reader = Thread.currentThread();
    this.openedAt = start;
    this.lastActivity = start;
    ctx.watchdog().watch(this);
    ctx.platform().functions().bill(connectionId, ctx.pattern(), Duration.ofNanos(now() - start));
  }

  @Override
  public void onMessage(WsSession session, String text, boolean last) {
    lastActivity = now();
    MessageAssembler.Message m = assembler.add(text, last);
    if (m == null) return;
    if (m.tooLarge()) {
      // refused by the gateway before any handler runs: neither the message nor a function is
      // billed
      int limit = ctx.platform().config().websocket().maxMessageBytes();
      sendError(
          null,
          null,
          "MESSAGE_TOO_LARGE",
          "message is " + m.bytes() + " bytes; the limit is " + limit + " bytes");
      return;
    }
    long start = now();
    Handled handled = handle(m.text());
    if (handled == Handled.REFUSED) return;
    ctx.platform()
        .meter()
        .record(
            handled.billTo(),
            ctx.pattern(),
            BillableUnit.WEBSOCKET_MESSAGE,
            MessageUnits.messages(m.bytes()));
    if (!handled.invoked()) {
      ctx.platform()
          .functions()
          .bill(handled.billTo(), ctx.pattern(), Duration.ofNanos(now() - start));
    }
  }

  /**
   * Who an inbound message is billed to, and whether its handler runs as its own billed function
   * invocation (a generation, or one the concurrency limit refused); otherwise the short $default
   * handler is billed when it returns.
   */
  private record Handled(String billTo, boolean invoked) {
    /** Refused by the gateway before any handler ran: nothing is billed. */
    static final Handled REFUSED = new Handled(null, false);
  }

  private Handled handle(String text) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(text);
    } catch (IOException e) {
      sendError(null, null, "MALFORMED_JSON", "message is not valid JSON");
      return new Handled(connectionId, false);
    }
    String action = root.isObject() ? root.path("action").asText(null) : null;
    if (action == null) {
      sendError(null, null, "VALIDATION_ERROR", "action: is required (generate or cancel)");
      return new Handled(connectionId, false);
    }
    return switch (action) {
      case "generate" -> generate((ObjectNode) root);
      case "cancel" -> new Handled(cancel(root), false);
      default -> {
        sendError(
            null,
            null,
            "VALIDATION_ERROR",
            "action: must be generate or cancel, got '" + action + "'");
        yield new Handled(connectionId, false);
      }
    };
  }

  private Handled generate(ObjectNode root) {
    String clientRef = root.path("client_ref").isTextual() ? root.get("client_ref").asText() : null;
    if (clientRef != null && clientRef.length() > 128) {
      sendError(null, null, "VALIDATION_ERROR", "client_ref: must be at most 128 characters");
      return new Handled(connectionId, false);
    }
    try {
      ctx.platform().connections().admitGeneration(caller);
    } catch (ApiException e) {
      // the gateway's refusals are not billed, the answer included; the connection stays open
      send(new ServerMessages.Error(null, clientRef, e.code(), e.getMessage()));
      return Handled.REFUSED;
    }
    ObjectNode body = root.deepCopy();
    body.remove("action");
    body.remove("client_ref");
    GenerationRequest g;
    try {
      g = ctx.platform().validator().validate(body);
    } catch (ApiException e) {
      sendError(null, clientRef, e.code(), e.getMessage());
      return new Handled(connectionId, false);
    }
    String conversation = g.conversationId() != null ? g.conversationId() : conversationId;
    if (conversation == null) conversation = "conv_" + RequestIds.next().substring(4);
    for (ChatGeneration running : active.values()) {
      if (running.conversationId().equals(conversation)) {
        sendError(
            null,
            clientRef,
            "CONVERSATION_BUSY",
            "conversation "
                + conversation
                + " is still generating "
                + running.requestId()
                + "; wait for it or cancel it");
        return new Handled(connectionId, false);
      }
    }
    conversationId = conversation;
    String requestId = RequestIds.next();
    var store = ctx.platform().store();
    store.create(RequestParameters.newRequest(requestId, ctx.pattern(), g, caller.name()));
    store.note(requestId, "on connection " + connectionId + ", conversation " + conversation);
    ChatGeneration generation = new ChatGeneration(ctx, this, requestId, conversation, g, now());
    active.put(requestId, generation);
    Future<LlmClient.Completion> invocation;
    try {
      invocation = generation.start();
    } catch (ApiException e) {
      active.remove(requestId);
      Invocations.recordNotStarted(store, requestId, RequestStatus.RECEIVED, e, "handler", false);
      sendError(requestId, clientRef, e.code(), e.getMessage());
      return new Handled(requestId, true);
    }
    long acceptedBytes = send(new ServerMessages.Accepted(requestId, conversation, clientRef));
    if (acceptedBytes >= 0) {
      ctx.platform()
          .meter()
          .record(
              requestId,
              ctx.pattern(),
              BillableUnit.WEBSOCKET_MESSAGE,
              MessageUnits.messages(acceptedBytes));
    }
    Thread.ofVirtual().name("ws-finish-" + requestId).start(() -> generation.finish(invocation));
    return new Handled(requestId, true);
  }

  private String cancel(JsonNode root) {
    String requestId = root.path("request_id").asText(null);
    if (requestId == null) {
      sendError(null, null, "VALIDATION_ERROR", "request_id: is required to cancel");
      return connectionId;
    }
    ChatGeneration g = active.get(requestId);
    if (g == null) {
      // billed to the connection: the id is the client's and may be no request of this caller
      sendError(
          connectionId,
          requestId,
          null,
          "NOT_FOUND",
          "no running generation " + requestId + " on this connection");
      return connectionId;
    }
    g.cancel("cancelled by the client");
    return requestId;
  }

  void ended(ChatGeneration g) {
    active.remove(g.requestId(), g);
  }

  /**
   * Sends one message; returns its size in bytes, or -1 when the connection is gone. A failed send
   * means the peer vanished without a close frame: the connection is shut down like a close.
   */
  long send(Object message) {
    String text = message instanceof ServerMessages.Token t ? t.json() : Json.text(message);
    boolean failed = false;
    sendLock.lock();
    try {
      if (closed.get()) return -1;
      session.send(text, true);
      lastActivity = now();
      return MessageAssembler.utf8Length(text);
    } catch (RuntimeException e) {
      failed = true;
      return -1;
    } finally {
      sendLock.unlock();
      if (failed) shutdown("connection lost (send failed)");
    }
  }

  private void sendError(String requestId, String clientRef, String code, String message) {
    sendError(requestId == null ? connectionId : requestId, requestId, clientRef, code, message);
  }

  private void sendError(
      String billTo, String requestId, String clientRef, String code, String message) {
    long bytes = send(new ServerMessages.Error(requestId, clientRef, code, message));
    if (bytes >= 0) {
      ctx.platform()
          .meter()
          .record(
              billTo, ctx.pattern(), BillableUnit.WEBSOCKET_MESSAGE, MessageUnits.messages(bytes));
    }
  }

  @Override
  public void onClose(WsSession session, int status, String reason) {
    shutdown(
        "client closed ("
            + status
            + (reason == null || reason.isBlank() ? "" : " " + reason)
            + ")");
  }

  @Override
  public void onError(WsSession session, Throwable t) {
    shutdown("connection failed: " + t.getMessage());
  }

  @Override
  public void onPing(WsSession session, BufferData buffer) {
    // RFC 6455 5.5.2: a ping gets a pong with its payload. It is no message: the idle timeout
    // counts messages only
    sendLock.lock();
    try {
      if (!closed.get()) session.pong(buffer);
    } catch (RuntimeException e) {
      // the peer is gone; the watchdog finds it
    } finally {
      sendLock.unlock();
    }
  }

  @Override
  public void onMessage(WsSession session, BufferData buffer, boolean last) {
    lastActivity = now();
    if (last) {
      sendError(
          null,
          null,
          "UNSUPPORTED_MESSAGE",
          "binary messages are not read; send each action as JSON in a text message");
    }
  }

  @Override
  public boolean lost() {
    Thread t = reader;
    return t != null && !t.isAlive();
  }

  @Override
  public void closeLost() {
    shutdown("connection lost (the client went away without a close frame)");
  }

  @Override
  public void closeForLimit(ConnectionWatchdog.Limit limit) {
    String code =
        limit == ConnectionWatchdog.Limit.IDLE_TIMEOUT ? "IDLE_TIMEOUT" : "MAX_CONNECTION_DURATION";
    sendError(null, null, code, "the platform closes connections past the " + limit.text());
    sendLock.lock();
    try {
      session.close(WsCloseCodes.GOING_AWAY, "Going away: " + limit.text());
    } catch (RuntimeException ignored) {
      // already closed by the peer
    } finally {
      sendLock.unlock();
    }
    shutdown(limit.text());
  }

  /** Stops every generation of this connection and bills the connection; runs once. */
  void shutdown(String reason) {
    if (!closed.compareAndSet(false, true)) return;
    long start = now();
    ctx.watchdog().forget(this);
    for (ChatGeneration g : active.values()) g.disconnect(reason);
    // a connection may outlive its attribution: 200,000 newer requests push it out
    ctx.platform().connections().attribute(connectionId, caller);
    var meter = ctx.platform().meter();
    meter.record(
        connectionId,
        ctx.pattern(),
        BillableUnit.WEBSOCKET_CONNECTION_MINUTE,
        MessageUnits.connectionMinutes(Duration.ofNanos(start - openedAt)));
    ctx.platform().functions().bill(connectionId, ctx.pattern(), Duration.ofNanos(now() - start));
  }

  @Override
  public void shutdownNow() {
    sendLock.lock();
    try {
      if (session != null)
        session.close(WsCloseCodes.GOING_AWAY, "Going away: server shutting down");
    } catch (RuntimeException ignored) {
      // already gone
    } finally {
      sendLock.unlock();
    }
    shutdown("server shutting down");
  }

  String connectionId() {
    return connectionId;
  }

  @Override
  public long openedAtNanos() {
    return openedAt;
  }

  @Override
  public long lastActivityNanos() {
    return lastActivity;
  }

  private long now() {
    return ctx.platform().clock().nanos();
  }
}
