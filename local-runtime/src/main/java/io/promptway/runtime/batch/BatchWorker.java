package io.promptway.runtime.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
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

  static final int MAX_BATCH = 4_096;

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

  // Items wait in one array list, handed over whole: a linked queue's nodes, allocated by many
  // threads and walked by the worker once they were cold, cost a cache miss or two per item.
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private ArrayList<T> pending = new ArrayList<>(1024); // guarded by lock
  private boolean workerWaiting; // guarded by lock
  private volatile int queued; // pending's size, written under the lock, read by gather
  private final int capacity;
  private final Sink<T> sink;
  private final Consumer<RuntimeException> onError;
  private final AtomicLong added = new AtomicLong();
  private final AtomicLong done = new AtomicLong();
  private final Object progress = new Object();
  // the count of items a flush is waiting for; while it is ahead of done, no batch gathers
  private final AtomicLong flushUpTo = new AtomicLong();
  private final long gatherNanos;
  // a batch's first item stays pending while it gathers, so it ends at `enough` more than that
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
    this.capacity = capacity;
    this.sink = sink;
    this.onError = onError;
    this.gatherNanos = gathering.time().toNanos();
    this.gatherEnough = (int) Math.min(Integer.MAX_VALUE, gathering.enough() + 1L);
    this.thread = Thread.ofPlatform().daemon().name(threadName).start(this::run);
  }

  /**
   * Queues {@code item}, waiting for room while the queue is full. A caller whose interrupt flag is
   * set still gets its item queued when there is room; it is interrupted only while it waits.
   */
  public void add(T item) throws InterruptedException {
    added.incrementAndGet();
    boolean ends;
    lock.lock();
    try {
      while (pending.size() >= capacity) {
        try {
          notFull.await();
        } catch (InterruptedException e) {
          added.decrementAndGet();
          throw e;
        }
      }
      pending.add(item);
      int size = pending.size();
      queued = size;
      if (size == 1 && workerWaiting) notEmpty.signal();
      ends = size == gatherEnough;
    } finally {
      lock.unlock();
    }
    if (ends) LockSupport.unpark(thread); // ends a gathering
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
    ArrayList<T> batch = new ArrayList<>(1024);
    while (running || queued > 0) {
      try {
        if (!awaitFirst()) continue;
        gather();
        batch = takeBatch(batch);
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

  /** Waits up to 100 ms for an item; true once one is pending. */
  private boolean awaitFirst() throws InterruptedException {
    lock.lock();
    try {
      if (pending.isEmpty() && running) {
        workerWaiting = true;
        try {
          notEmpty.await(100, TimeUnit.MILLISECONDS);
        } finally {
          workerWaiting = false;
        }
      }
      return !pending.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  /** Swaps the pending items for the empty {@code batch}, at most {@value #MAX_BATCH} of them. */
  private ArrayList<T> takeBatch(ArrayList<T> batch) {
    lock.lock();
    try {
      ArrayList<T> taken;
      if (pending.size() <= MAX_BATCH) {
        taken = pending;
        pending = batch;
      } else {
        List<T> first = pending.subList(0, MAX_BATCH);
        batch.addAll(first);
        first.clear();
        taken = batch;
      }
      queued = pending.size();
      notFull.signalAll();
      return taken;
    } finally {
      lock.unlock();
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
        && queued < gatherEnough
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
    lock.lock();
    try {
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
    LockSupport.unpark(thread);
    try {
      thread.join(max);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !thread.isAlive();
  }
}
