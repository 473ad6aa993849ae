package io.promptway.patterns.websocket;

import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.config.RuntimeConfig;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Enforces the WebSocket API's connection limits in simulated time: a connection with no message in
 * either direction for the idle timeout, or open longer than the maximum duration, is closed by the
 * platform. It also finds connections whose peer went away without a close frame while nothing was
 * being sent: the server learns of those from no callback, only from its reader having ended. One
 * daemon thread sweeps every connection a few times per (real) limit period, at least once a
 * second.
 */
public final class ConnectionWatchdog implements AutoCloseable {

  /** Why the platform closed a connection. */
  public enum Limit {
    IDLE_TIMEOUT("idle timeout"),
    MAX_DURATION("maximum connection duration");

    private final String text;

    Limit(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  /** A connection the watchdog can see and close. */
  public interface Watched {
    /** Simulated nanos when it opened. */
    long openedAtNanos();

    /** Simulated nanos of the last message, in either direction. */
    long lastActivityNanos();

    void closeForLimit(Limit limit);

    /** Whether the peer is gone: the connection's reader ended without a close frame. */
    default boolean lost() {
      return false;
    }

    /** Shuts down a connection found {@link #lost}. */
    default void closeLost() {}

    /** Closes the connection because the runtime is stopping. */
    default void shutdownNow() {}
  }

  private final SimulatedClock clock;
  private final long idleNanos;
  private final long maxNanos;
  private final Set<Watched> connections = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService sweeper;

  public ConnectionWatchdog(SimulatedClock clock, RuntimeConfig.Websocket limits) {
    this.clock = clock;
    this.idleNanos = limits.idleTimeout().toNanos();
    this.maxNanos = limits.maxConnectionDuration().toNanos();
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ws-watchdog");
              t.setDaemon(true);
              return t;
            });
    long period = sweepPeriod(clock, limits).toNanos();
    sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.NANOSECONDS);
  }

  /** A tenth of the shorter limit in real time, between 5 ms and 1 s. */
  static Duration sweepPeriod(SimulatedClock clock, RuntimeConfig.Websocket limits) {
    Duration shorter =
        limits.idleTimeout().compareTo(limits.maxConnectionDuration()) < 0
            ? limits.idleTimeout()
            : limits.maxConnectionDuration();
    long real = clock.toRealNanos(shorter) / 10;
    return Duration.ofNanos(Math.clamp(real, 5_000_000L, 1_000_000_000L));
  }

  public void watch(Watched c) {
    connections.add(c);
  }

  public void forget(Watched c) {
    connections.remove(c);
  }

  public int size() {
    return connections.size();
  }

  /** Server shutdown: closes every watched connection, stopping its generations. */
  public void closeAll() {
    for (Watched c : connections) {
      if (connections.remove(c)) {
        try {
          c.shutdownNow();
        } catch (RuntimeException ignored) {
          // already gone
        }
      }
    }
  }

  /** Closes every connection past a limit or lost; returns how many. */
  int sweep() {
    long now = clock.nanos();
    int closed = 0;
    for (Watched c : connections) {
      if (c.lost()) {
        if (connections.remove(c)) {
          c.closeLost();
          closed++;
        }
        continue;
      }
      Limit limit = breached(c, now);
      if (limit != null && connections.remove(c)) {
        try {
          c.closeForLimit(limit);
        } catch (RuntimeException e) {
          // the connection is already gone; nothing left to close
        }
        closed++;
      }
    }
    return closed;
  }

  Limit breached(Watched c, long now) {
    if (now - c.openedAtNanos() >= maxNanos) return Limit.MAX_DURATION;
    if (now - c.lastActivityNanos() >= idleNanos) return Limit.IDLE_TIMEOUT;
    return null;
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
  }
}
