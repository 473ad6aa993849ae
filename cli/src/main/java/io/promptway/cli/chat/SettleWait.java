package io.promptway.cli.chat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * How long the chat waits, after Ctrl-C, for the runtime to settle a cancelled turn's request (the
 * cancel acknowledged, or the request run to its end and billed): until a deadline, or until the
 * user presses Ctrl-C again.
 */
final class SettleWait {
  private final long deadlineNanos;
  private final Duration limit;
  private final CountDownLatch skipped = new CountDownLatch(1);
  private final Consumer<String> notices;

  SettleWait(Duration limit, Consumer<String> notices) {
    this.limit = limit;
    this.deadlineNanos = System.nanoTime() + limit.toNanos();
    this.notices = notices;
  }

  Duration limit() {
    return limit;
  }

  /** Tells the user what the wait is for; shown before a wait that may take a while. */
  void notice(String message) {
    notices.accept(message);
  }

  /** Stops waiting at once (the user pressed Ctrl-C again). */
  void skip() {
    skipped.countDown();
  }

  /** False once the deadline passed or the user skipped the wait. */
  boolean open() {
    return skipped.getCount() > 0 && System.nanoTime() < deadlineNanos;
  }

  /** Pauses between two reads of the runtime; returns false when the wait is over. */
  boolean pause(long millis) throws InterruptedException {
    long remaining = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    if (remaining <= 0) return false;
    return !skipped.await(Math.min(millis, remaining), TimeUnit.MILLISECONDS) && open();
  }

  /** The future's value, or null when the wait ends first (or the future failed). */
  <T> T await(CompletableFuture<T> future) throws InterruptedException {
    while (open()) {
      try {
        return future.get(Math.min(50, remainingMillis()), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // look at the deadline and the skip again
      } catch (ExecutionException e) {
        return null;
      }
    }
    return future.isDone() && !future.isCompletedExceptionally() ? future.getNow(null) : null;
  }

  private long remainingMillis() {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }
}
