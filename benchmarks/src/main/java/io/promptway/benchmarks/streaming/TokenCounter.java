package io.promptway.benchmarks.streaming;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts SSE {@code token} events in a response body as its bytes arrive, without decoding lines or
 * holding a thread per stream: it looks for {@code "event: token"} across buffer boundaries.
 */
final class TokenCounter implements HttpResponse.BodySubscriber<Void> {
  private static final byte[] NEEDLE = "event: token".getBytes(StandardCharsets.US_ASCII);

  final AtomicLong tokens = new AtomicLong();
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private volatile Flow.Subscription subscription;
  private int matched;

  @Override
  public CompletionStage<Void> getBody() {
    return done;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    long found = 0;
    for (ByteBuffer b : buffers) {
      while (b.hasRemaining()) {
        byte c = b.get();
        if (c == NEEDLE[matched]) {
          if (++matched == NEEDLE.length) {
            found++;
            matched = 0;
          }
        } else {
          matched = c == NEEDLE[0] ? 1 : 0;
        }
      }
    }
    if (found > 0) tokens.addAndGet(found);
  }

  @Override
  public void onError(Throwable t) {
    done.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    done.complete(null);
  }

  void cancel() {
    Flow.Subscription s = subscription;
    if (s != null) s.cancel();
  }
}
