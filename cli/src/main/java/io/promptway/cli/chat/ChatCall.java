package io.promptway.cli.chat;

import java.util.concurrent.CompletableFuture;

/**
 * A turn in flight: its eventual result, and how to stop it. Cancelling completes the result at
 * once (as cancelled), so the prompt returns even when the server is slow to acknowledge.
 */
public final class ChatCall {
  private final CompletableFuture<TurnResult> result;
  private final Runnable canceller;
  private volatile String requestId;

  public ChatCall(CompletableFuture<TurnResult> result, Runnable canceller) {
    this.result = result;
    this.canceller = canceller;
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

  public void cancel() {
    if (result.isDone()) return;
    try {
      canceller.run();
    } finally {
      result.complete(TurnResult.cancelled(requestId));
    }
  }
}
