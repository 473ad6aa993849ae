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

  /** Completes the result as cancelled first, so the transport sees its stream end as wanted. */
  public void cancel() {
    if (result.complete(TurnResult.cancelled(requestId))) canceller.run();
  }
}
