package io.promptway.runtime.function;

import io.promptway.runtime.clock.SimulatedClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One invocation while it runs: its handler's thread, and who ended it first, the handler or the
 * maximum duration (that one bills the invocation and answers its caller).
 */
final class RunningInvocation implements FunctionRuntime.Invocation {
  private final SimulatedClock clock;
  private final AtomicReference<Thread> thread = new AtomicReference<>();
  private final AtomicBoolean settled = new AtomicBoolean();
  private volatile boolean timedOut;
  private volatile long start;

  RunningInvocation(SimulatedClock clock) {
    this.clock = clock;
    this.start = clock.nanos();
  }

  @Override
  public Duration elapsed() {
    return Duration.ofNanos(clock.nanos() - start);
  }

  @Override
  public boolean timedOut() {
    return timedOut;
  }

  /** The handler begins on this thread: interrupted at once if the deadline passed already. */
  void begin() {
    start = clock.nanos();
    thread.set(Thread.currentThread());
    if (timedOut) Thread.currentThread().interrupt();
  }

  void end() {
    thread.set(null);
  }

  /** True for the first of the handler's end and the deadline to get here. */
  boolean settle() {
    return settled.compareAndSet(false, true);
  }

  /** The deadline passed: the handler is told so and interrupted. */
  void stop() {
    timedOut = true;
    Thread t = thread.get();
    if (t != null) t.interrupt();
  }
}
