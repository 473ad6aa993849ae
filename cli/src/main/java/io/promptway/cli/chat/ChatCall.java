package io.promptway.cli.chat;

import java.util.concurrent.CompletableFuture;

/**
 * A turn in flight: its eventual result, how to stop it, and how to settle it once stopped.
 * Cancelling completes the result at once (as cancelled), so the prompt returns even when the
 * server is slow to acknowledge; settling then finds out what the server did with the request and
 * what it billed.
 */
public final class ChatCall {
  /** Finds out what became of a cancelled turn's request on the server, and its bill. */
  @FunctionalInterface
  interface Settler {
    CancelledTurn settle(ChatCall call, SettleWait wait) throws InterruptedException;
  }

  private static final Settler UNKNOWN =
      (call, wait) -> new CancelledTurn(TurnResult.cancelled(call.requestId()), null, true);

  private final CompletableFuture<TurnResult> result;
  private final Runnable canceller;
  private final Settler settler;
  private volatile String requestId;

  public ChatCall(CompletableFuture<TurnResult> result, Runnable canceller) {
    this(result, canceller, UNKNOWN);
  }

  ChatCall(CompletableFuture<TurnResult> result, Runnable canceller, Settler settler) {
    this.result = result;
    this.canceller = canceller;
    this.settler = settler;
  }

  public CompletableFuture<TurnResult> result() {
    return result;
  }

  public String requestId() {
    return requestId;
  }

  /** Transports set this as soon as the runtime names the request. */
  public void requestId(String id) {
    this.requestId = id;
  }

  /** Completes the result as cancelled first, so the transport sees its stream end as wanted. */
  public void cancel() {
    if (result.complete(TurnResult.cancelled(requestId))) canceller.run();
  }

  /** For a cancelled call: what the server did with the request, priced with its metered cost. */
  CancelledTurn settle(SettleWait wait) throws InterruptedException {
    return settler.settle(this, wait);
  }
}
