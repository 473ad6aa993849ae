package io.promptway.runtime.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The idle connections of a client's keep-alive pool, per host, reused last-in first-out. One idle
 * longer than {@code maxIdleNanos} (well inside any server's keep-alive timeout) or no longer
 * usable is closed instead of reused; at most {@code maxPerHost} are kept per host.
 *
 * @param <C> the connection type
 */
final class IdleConnections<C> {
  private final int maxPerHost;
  private final long maxIdleNanos;
  private final LongSupplier nanoTime;
  private final Predicate<C> usable;
  private final Consumer<C> close;
  private final ConcurrentHashMap<String, HostPool<C>> pools = new ConcurrentHashMap<>();

  private record Idle<C>(C connection, long since) {}

  /** One host's idle connections, newest first; counted apart, as the deque's size is a walk. */
  private static final class HostPool<C> {
    final ConcurrentLinkedDeque<Idle<C>> connections = new ConcurrentLinkedDeque<>();
    final AtomicInteger size = new AtomicInteger();

    Idle<C> poll() {
      Idle<C> i = connections.pollFirst();
      if (i != null) size.decrementAndGet();
      return i;
    }
  }

  /**
   * @param nanoTime the clock that ages idle connections (real time)
   * @param usable whether an idle connection can still be used (e.g. the server has not closed it)
   * @param close closes a connection that is not kept or not reused
   */
  IdleConnections(
      int maxPerHost,
      long maxIdleNanos,
      LongSupplier nanoTime,
      Predicate<C> usable,
      Consumer<C> close) {
    this.maxPerHost = maxPerHost;
    this.maxIdleNanos = maxIdleNanos;
    this.nanoTime = nanoTime;
    this.usable = usable;
    this.close = close;
  }

  /**
   * The newest idle connection to {@code host} still fit for use, or null; stale ones are closed.
   */
  C take(String host) {
    HostPool<C> pool = pools.get(host);
    if (pool == null) return null;
    long now = nanoTime.getAsLong();
    for (Idle<C> i; (i = pool.poll()) != null; ) {
      if (now - i.since() <= maxIdleNanos && usable.test(i.connection())) return i.connection();
      close.accept(i.connection());
    }
    return null;
  }

  /**
   * Keeps {@code connection} for reuse; false when the host has its fill (the caller closes it).
   */
  boolean keep(String host, C connection) {
    HostPool<C> pool = pools.computeIfAbsent(host, k -> new HostPool<>());
    if (pool.size.incrementAndGet() > maxPerHost) {
      pool.size.decrementAndGet();
      return false;
    }
    pool.connections.offerFirst(new Idle<>(connection, nanoTime.getAsLong()));
    return true;
  }

  int size() {
    return pools.values().stream().mapToInt(p -> p.size.get()).sum();
  }

  /** Closes every idle connection. */
  void closeAll() {
    for (HostPool<C> pool : pools.values()) {
      for (Idle<C> i; (i = pool.poll()) != null; ) close.accept(i.connection());
    }
  }
}
