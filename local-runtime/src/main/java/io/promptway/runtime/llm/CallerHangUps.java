package io.promptway.runtime.llm;

import io.promptway.runtime.clock.SimulatedClock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * How the emulated provider learns, over HTTP, that a caller went away in the middle of a call, so
 * that it stops generating and bills the output tokens generated until then, as a real provider
 * does when it sees the connection close. {@link LlmClient} sends each call's id in {@value
 * #HEADER} and hangs up when it abandons the call (its function was stopped, a stream was
 * cancelled); the provider waits for each token on the call's {@link Line}, which wakes at the
 * hang-up and knows its simulated instant.
 *
 * <p>Why not the socket: a Helidon handler runs on its connection's thread and cannot watch that
 * connection while it waits, and a write (the only other sign) is late by a token or two and
 * impossible before a non-streamed answer. A caller from outside the runtime, which sends no call
 * id, is noticed only when a stream's write fails; its non-streamed answer is generated and billed
 * to the end.
 */
public final class CallerHangUps {
  /** The request header that carries the call id. */
  public static final String HEADER = "X-Promptway-Call-Id";

  private static final long NOT_HUNG_UP = Long.MIN_VALUE;
  // A hang-up that finds no line (the provider has not picked the call up yet, or has already
  // answered it) leaves one behind; those nobody picks up are swept after a while.
  private static final int SWEEP_EVERY = 1024;
  private static final long FORGET_AFTER_REAL_NANOS = 60_000_000_000L;

  private final SimulatedClock clock;
  private final ConcurrentHashMap<String, Line> lines = new ConcurrentHashMap<>();
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong unanswered = new AtomicLong();

  public CallerHangUps(SimulatedClock clock) {
    this.clock = clock;
  }

  /** The caller's side of one new call: its id, and the hang-up (once, whatever the path). */
  final class Caller {
    private final String id = Long.toString(calls.incrementAndGet(), 36);
    private final AtomicBoolean hungUp = new AtomicBoolean();

    String id() {
      return id;
    }

    /** The caller has gone: the provider stops generating at this simulated instant. */
    void hangUp() {
      if (!hungUp.compareAndSet(false, true)) return;
      long now = clock.nanos();
      Line line = lines.computeIfAbsent(id, k -> new Line(k, System.nanoTime()));
      line.hungUp(now);
      if (line.waiter == null && unanswered.incrementAndGet() % SWEEP_EVERY == 0) sweep();
    }
  }

  Caller dial() {
    return new Caller();
  }

  /**
   * The provider's side of the call {@code callId} (from {@value #HEADER}), for the thread serving
   * it; a line that never hangs up when the caller sent no id. Close it once the call has ended.
   */
  Line pickUp(String callId) {
    Line line =
        callId == null
            ? new Line(null, 0)
            : lines.computeIfAbsent(callId, k -> new Line(k, System.nanoTime()));
    line.waiter = Thread.currentThread();
    return line;
  }

  private void sweep() {
    long now = System.nanoTime();
    lines.values().removeIf(l -> l.waiter == null && now - l.created > FORGET_AFTER_REAL_NANOS);
  }

  /** One call as the provider sees it: waits for each token's due time or the caller's hang-up. */
  final class Line implements AutoCloseable {
    private final String id;
    private final long created;
    private volatile Thread waiter;
    private volatile long hungUpAt = NOT_HUNG_UP;

    private Line(String id, long created) {
      this.id = id;
      this.created = created;
    }

    private void hungUp(long simulatedNanos) {
      hungUpAt = simulatedNanos;
      Thread t = waiter;
      if (t != null) LockSupport.unpark(t);
    }

    /**
     * Waits until the clock reads {@code due} (simulated nanoseconds, as {@link
     * SimulatedClock#nanos}); true when it does before the caller hangs up, false at the hang-up.
     *
     * @throws InterruptedException when the serving thread is interrupted (the server stopping)
     */
    boolean waitUntil(long due) throws InterruptedException {
      while (true) {
        long gone = hungUpAt;
        if (gone != NOT_HUNG_UP && gone < due) return false;
        long remaining = (long) ((due - clock.nanos()) / clock.scale());
        if (remaining <= 0) return true;
        LockSupport.parkNanos(remaining);
        if (Thread.interrupted()) throw new InterruptedException();
      }
    }

    /** The simulated instant the caller hung up; only after {@link #waitUntil} said so. */
    long hungUpAt() {
      return hungUpAt;
    }

    @Override
    public void close() {
      waiter = null;
      if (id != null) lines.remove(id, this);
    }
  }
}
