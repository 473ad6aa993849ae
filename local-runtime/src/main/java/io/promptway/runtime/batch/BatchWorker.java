package io.promptway.runtime.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One platform thread that takes what callers hand it and passes it on in batches, in the order it
 * was added. After taking a batch's first item it gathers more for a while (see {@link Gathering}),
 * so a busy producer costs one sink call (a write, a commit) per batch instead of one per item.
 * {@link #flush} waits until everything added before it has been through the sink, and cuts a
 * gathering short; {@link #close} passes on everything still queued before the thread ends. The
 * queue is bounded: when it is full, {@link #add} waits for room, so nothing is dropped.
 */
public final class BatchWorker<T> implements AutoCloseable {
  /** Takes one batch; what it throws goes to the worker's error handler, and the batch counts. */
  public interface Sink<T> {
    void accept(List<T> batch);
  }

  private static final int MAX_BATCH = 4_096;

  /**
   * How a batch gathers items after its first: for {@code time}, or until {@code enough} items are
   * queued, whichever comes first (a flush or a close ends it at once too).
   */
  public record Gathering(Duration time, int enough) {
    /** A short wait for a busy producer's next items: 2 ms, unless 256 are already queued. */
    public static final Gathering SHORT = new Gathering(Duration.ofMillis(2), 256);

    /** For {@code time}, whatever the queue holds, up to a full batch. */
    public static Gathering of(Duration time) {
      return new Gathering(time, MAX_BATCH - 1);
    }
  }

  private final BlockingQueue<T> queue;
  private final Sink<T> sink;
  private final Consumer<RuntimeException> onError;
  private final AtomicLong added = new AtomicLong();
  private final AtomicLong done = new AtomicLong();
  private final Object progress = new Object();
  // the count of items a flush is waiting for; while it is ahead of done, no batch gathers
  private final AtomicLong flushUpTo = new AtomicLong();
  private final long gatherNanos;
  private final int gatherEnough;
  private final Thread thread;
  private volatile boolean running = true;

  /** A worker whose batches gather briefly ({@link Gathering#SHORT}). */
  public BatchWorker(
      String threadName, int capacity, Sink<T> sink, Consumer<RuntimeException> onError) {
    this(threadName, capacity, Gathering.SHORT, sink, onError);
  }

  public BatchWorker(
      String threadName,
      int capacity,
      Gathering gathering,
      Sink<T> sink,
      Consumer<RuntimeException> onError) {
    this.queue = new LinkedBlockingQueue<>(capacity);
    this.sink = sink;
    this.onError = onError;
    this.gatherNanos = gathering.time().toNanos();
    this.gatherEnough = gathering.enough();
    this.thread = Thread.ofPlatform().daemon().name(threadName).start(this::run);
  }

  /**
   * Queues {@code item}, waiting for room while the queue is full. A caller whose interrupt flag is
   * set still gets its item queued when there is room; it is interrupted only while it waits.
   */
  public void add(T item) throws InterruptedException {
    added.incrementAndGet();
    if (queue.offer(item)) {
      if (queue.size() >= gatherEnough) LockSupport.unpark(thread); // ends a gathering
      return;
    }
    try {
      queue.put(item);
    } catch (InterruptedException e) {
      added.decrementAndGet();
      throw e;
    }
  }

  /**
   * Waits until every item added before this call has been through the sink, or the worker ended.
   */
  public void flush() {
    flush(null);
  }

  /** As {@link #flush()}, for at most {@code max}; returns whether everything went through. */
  public boolean flush(Duration max) {
    long target = added.get();
    long deadline = max == null ? 0 : System.nanoTime() + max.toNanos();
    if (done.get() < target) {
      flushUpTo.accumulateAndGet(target, Math::max);
      LockSupport.unpark(thread);
    }
    synchronized (progress) {
      while (done.get() < target && thread.isAlive()) {
        long wait = TimeUnit.MILLISECONDS.toNanos(50);
        if (max != null) {
          long left = deadline - System.nanoTime();
          if (left <= 0) return false;
          wait = Math.min(left, wait);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(progress, wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return done.get() >= target;
  }

  private void run() {
    List<T> batch = new ArrayList<>(1024);
    while (running || !queue.isEmpty()) {
      try {
        T first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) continue;
        batch.add(first);
        gather();
        queue.drainTo(batch, MAX_BATCH - 1);
        sink.accept(batch);
      } catch (InterruptedException e) {
        if (!running) break;
      } catch (RuntimeException e) {
        onError.accept(e);
      } finally {
        if (!batch.isEmpty()) {
          done.addAndGet(batch.size());
          batch.clear();
          synchronized (progress) {
            progress.notifyAll();
          }
        }
      }
    }
  }

  /**
   * Waits out the gathering time, unless a flush is waiting, enough is queued or closing: each of
   * those unparks the worker, so it sleeps through the whole gathering at once.
   */
  private void gather() {
    long until = System.nanoTime() + gatherNanos;
    long left;
    while (running
        && flushUpTo.get() <= done.get()
        && queue.size() < gatherEnough
        && (left = until - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
  }

  /** Passes on what is queued, then ends the thread; waits for that at most 10 s. */
  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }

  /** As {@link #close()}, waiting at most {@code max}; returns whether the thread has ended. */
  public boolean close(Duration max) {
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(max);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !thread.isAlive();
  }
}
