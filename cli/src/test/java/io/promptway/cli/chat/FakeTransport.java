package io.promptway.cli.chat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A transport that answers every turn with fixed tokens from its own thread, remembers the requests
 * it got, and can hold a reply open after its first token until cancelled.
 */
final class FakeTransport implements ChatTransport {
  final String pattern;
  final List<String> tokens;
  final boolean holdAfterFirstToken;
  final List<TurnRequest> requests = new CopyOnWriteArrayList<>();
  final AtomicInteger cancels = new AtomicInteger();
  final CountDownLatch firstTokenSent = new CountDownLatch(1);
  final CountDownLatch startEntered = new CountDownLatch(1);

  /** When set, {@code start} blocks until it opens, as a transport still connecting does. */
  volatile CountDownLatch connected;

  FakeTransport(String pattern, List<String> tokens, boolean holdAfterFirstToken) {
    this.pattern = pattern;
    this.tokens = tokens;
    this.holdAfterFirstToken = holdAfterFirstToken;
  }

  static FakeTransport answering(String pattern, String... tokens) {
    return new FakeTransport(pattern, List.of(tokens), false);
  }

  @Override
  public String pattern() {
    return pattern;
  }

  @Override
  public ChatCall start(TurnRequest request, TokenListener listener) {
    requests.add(request);
    startEntered.countDown();
    if (connected != null) {
      try {
        connected.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    CompletableFuture<TurnResult> result = new CompletableFuture<>();
    CountDownLatch cancelled = new CountDownLatch(1);
    ChatCall call =
        new ChatCall(
            result,
            () -> {
              cancels.incrementAndGet();
              cancelled.countDown();
            });
    String id = "req-" + requests.size();
    call.requestId(id);
    Thread.ofVirtual()
        .start(
            () -> {
              StringBuilder text = new StringBuilder();
              for (String token : tokens) {
                listener.onToken(token);
                text.append(token);
                firstTokenSent.countDown();
                if (holdAfterFirstToken) {
                  try {
                    cancelled.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return;
                }
              }
              result.complete(
                  new TurnResult(
                      id,
                      text.toString(),
                      "stop",
                      3,
                      tokens.size(),
                      0.0003,
                      Map.of("llm", 0.0002, "function", 0.00009, "gateway", 0.00001),
                      false));
            });
    return call;
  }
}
