package io.promptway.patterns.websocket;

import io.promptway.patterns.common.EmitTime;
import io.promptway.patterns.common.Invocations;
import io.promptway.runtime.gateway.ChatMessage;
import io.promptway.runtime.gateway.GenerationRequest;
import io.promptway.runtime.http.ApiException;
import io.promptway.runtime.http.Envelope;
import io.promptway.runtime.llm.LlmClient;
import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.store.Outcome;
import io.promptway.runtime.store.RequestStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@code generate} on a chat connection: a function invocation that reads the conversation's
 * earlier turns, streams the model's tokens to the client as {@code token} messages and stores the
 * new turns. Cancelling closes the model's stream, so generation and its bill stop within one
 * inter-token interval; the same happens when the connection drops.
 */
final class ChatGeneration {
  private final ChatContext ctx;
  private final ChatConnection connection;
  private final String requestId;
  private final String conversationId;
  private final GenerationRequest request;
  private final long startNanos;
  private final LlmClient.Cancellation cancellation = new LlmClient.Cancellation();
  private final AtomicLong outboundUnits = new AtomicLong();
  private final AtomicLong tokensSent = new AtomicLong();
  private volatile boolean disconnected;
  private volatile String stopReason;

  ChatGeneration(
      ChatContext ctx,
      ChatConnection connection,
      String requestId,
      String conversationId,
      GenerationRequest request,
      long startNanos) {
    this.ctx = ctx;
    this.connection = connection;
    this.requestId = requestId;
    this.conversationId = conversationId;
    this.request = request;
    this.startNanos = startNanos;
  }

  String requestId() {
    return requestId;
  }

  String conversationId() {
    return conversationId;
  }

  /** Starts the handler's function; throws (429) at once when the concurrency limit is reached. */
  Future<LlmClient.Completion> start() {
    return ctx.platform().functions().start(requestId, ctx.pattern(), inv -> stream());
  }

  void cancel(String reason) {
    stopReason = reason;
    ctx.platform()
        .store()
        .note(requestId, "cancel received after " + tokensSent.get() + " tokens sent: " + reason);
    // On a thread of its own, never on the connection's reader: closing the model's response
    // stream may block (the client drains it) and may fail when the reader closes it first.
    Thread.ofVirtual()
        .name("ws-cancel-" + requestId)
        .start(
            () -> {
              try {
                cancellation.cancel();
              } catch (RuntimeException e) {
                // the stream was already closed by its reader; the cancel flag stops it either way
              }
            });
  }

  /** The connection is gone: stop generating and send nothing more. */
  void disconnect(String reason) {
    disconnected = true;
    var store = ctx.platform().store();
    store.transition(
        requestId,
        RequestStatus.STREAMING,
        RequestStatus.CLIENT_DISCONNECTED,
        "connection closed: " + reason);
    cancel("connection closed: " + reason);
  }

  private LlmClient.Completion stream() {
    var platform = ctx.platform();
    platform
        .store()
        .transition(
            requestId,
            RequestStatus.RECEIVED,
            RequestStatus.STREAMING,
            "handler streaming tokens to the connection");
    List<ChatMessage> history =
        ctx.conversations().history(conversationId, requestId, ctx.pattern());
    List<ChatMessage> messages = new ArrayList<>(history.size() + request.messages().size());
    messages.addAll(history);
    messages.addAll(request.messages());
    return platform.llm().stream(
        platform.modelCall(
            requestId,
            ctx.pattern(),
            request.model(),
            messages,
            request.maxTokens(),
            request.temperature()),
        (token, emittedAt) -> {
          if (stopReason != null || cancellation.cancelled()) return;
          double atMs = EmitTime.msSince(startNanos, emittedAt, platform.clock());
          send(new ServerMessages.Token(requestId, tokensSent.incrementAndGet(), token, atMs));
        },
        cancellation);
  }

  /** Waits for the handler (billed by then), stores the turns and tells the client how it ended. */
  void finish(Future<LlmClient.Completion> invocation) {
    var ended = Invocations.await(invocation, requestId, "handler");
    LlmClient.Completion c = ended.value();
    ApiException failure = ended.failure();
    connection.ended(
        this); // before the last message, so the client may start its next turn at once
    if (c != null) ended(c);
    else failed(failure);
  }

  private void ended(LlmClient.Completion c) {
    var platform = ctx.platform();
    var store = platform.store();
    List<ChatMessage> turns = new ArrayList<>(request.messages());
    if (!c.text().isEmpty()) turns.add(ChatMessage.assistant(c.text()));
    ctx.conversations().append(conversationId, turns, requestId, ctx.pattern());
    Outcome outcome = Outcome.completed(c.promptTokens(), c.completionTokens(), c.text());
    if (cancellation.cancelled()) {
      String why = stopReason == null ? "cancelled" : stopReason;
      String detail =
          why
              + " after "
              + c.completionTokens()
              + " tokens; the model stream was closed and billing stopped";
      if (!store.transition(
          requestId, RequestStatus.STREAMING, RequestStatus.CANCELLED, detail, outcome)) {
        store.transition(
            requestId, RequestStatus.CLIENT_DISCONNECTED, RequestStatus.CANCELLED, detail, outcome);
      }
      // the cancelled message itself, billed before it is sent so that a client reading the cost
      // once it arrives reads the whole bill
      if (!disconnected) outboundUnits.incrementAndGet();
      billMessages();
      sendUnbilled(new ServerMessages.Cancelled(requestId, c.completionTokens()));
      return;
    }
    store.transition(
        requestId,
        RequestStatus.STREAMING,
        RequestStatus.COMPLETED,
        "streamed " + c.completionTokens() + " tokens",
        outcome);
    outboundUnits.incrementAndGet(); // the complete message itself, billed before the cost is read
    billMessages();
    double latencyMs = (platform.clock().nanos() - startNanos) / 1e6;
    sendUnbilled(
        new ServerMessages.Complete(
            requestId,
            conversationId,
            Envelope.Usage.of(c.promptTokens(), c.completionTokens()),
            platform.meter().cost(requestId).toEnvelope(),
            latencyMs,
            c.finishReason()));
  }

  private void failed(ApiException error) {
    var store = ctx.platform().store();
    Outcome outcome = Outcome.failed(error.code(), error.getMessage());
    String detail = "generation failed: " + error.getMessage();
    if (!store.transition(requestId, RequestStatus.STREAMING, RequestStatus.FAILED, detail, outcome)
        && !store.transition(
            requestId, RequestStatus.CLIENT_DISCONNECTED, RequestStatus.FAILED, detail, outcome)) {
      store.transition(requestId, RequestStatus.RECEIVED, RequestStatus.FAILED, detail, outcome);
    }
    boolean explain = error.isClientError() || ctx.platform().config().environment().showsDetails();
    send(
        new ServerMessages.Error(
            requestId, null, error.code(), explain ? error.getMessage() : "the generation failed"));
    billMessages();
  }

  private void send(Object message) {
    if (disconnected) return;
    long bytes = connection.send(message);
    if (bytes >= 0) outboundUnits.addAndGet(MessageUnits.messages(bytes));
  }

  private void sendUnbilled(Object message) {
    if (!disconnected) connection.send(message);
  }

  /**
   * Outbound messages are counted per generation and recorded once, not one meter row per token.
   */
  private void billMessages() {
    long units = outboundUnits.getAndSet(0);
    if (units > 0) {
      ctx.platform()
          .meter()
          .record(requestId, ctx.pattern(), BillableUnit.WEBSOCKET_MESSAGE, units);
    }
  }
}
