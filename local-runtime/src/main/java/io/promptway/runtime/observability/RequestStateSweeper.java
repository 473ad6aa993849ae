package io.promptway.runtime.observability;

import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.store.RequestStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deletes expired request state on a schedule ({@code state.cleanup_interval}, simulated time), as
 * DynamoDB's TTL does, and counts what it deleted in the metrics. Extra tasks (e.g. forgetting old
 * caller attributions) run on the same tick. Unlike DynamoDB, deletion is prompt, not within 48 h.
 */
public final class RequestStateSweeper implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RequestStateSweeper.class.getName());

  private final RequestStore store;
  private final SimulatedClock clock;
  private final RuntimeMetrics metrics;
  private final List<Runnable> extraTasks = new ArrayList<>();
  private ScheduledExecutorService executor;

  public RequestStateSweeper(RequestStore store, SimulatedClock clock, RuntimeMetrics metrics) {
    this.store = store;
    this.clock = clock;
    this.metrics = metrics;
    metrics.registerGauge(
        "promptway_state_rows", "Request-state rows currently stored.", store::count);
  }

  /** Adds a task to run on every sweep; call before {@link #start}. */
  public RequestStateSweeper alsoRun(Runnable task) {
    extraTasks.add(task);
    return this;
  }

  /** Sweeps once now; returns the rows deleted. */
  public int sweep() {
    try {
      int n = store.expire(clock.now());
      metrics.swept(n);
      for (Runnable t : extraTasks) t.run();
      return n;
    } catch (RuntimeException e) {
      metrics.sweepFailed();
      LOG.log(Level.WARNING, "request-state sweep failed: " + e.getMessage());
      return 0;
    }
  }

  /** Sweeps every {@code interval} of simulated time (at least every 10 real milliseconds). */
  public synchronized void start(Duration interval) {
    if (executor != null) return;
    long realMillis = Math.max(10, clock.toReal(interval).toMillis());
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "promptway-state-sweeper");
              t.setDaemon(true);
              return t;
            });
    executor.scheduleWithFixedDelay(this::sweep, realMillis, realMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void close() {
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
  }
}
