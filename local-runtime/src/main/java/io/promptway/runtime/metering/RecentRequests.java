package io.promptway.runtime.metering;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A value for each of the most recent requests, by request id: at most {@code limit} requests, the
 * earliest added forgotten first. The order is a ring of ids allocated once, so remembering a
 * request allocates nothing beyond its map entry: at thousands of requests a second, every object
 * kept per request is copied by each young collection until it is promoted.
 */
public final class RecentRequests<V> {
  private final ConcurrentHashMap<String, V> values = new ConcurrentHashMap<>();
  private final AtomicReferenceArray<String> order;
  private final AtomicLong added = new AtomicLong();

  public RecentRequests(int limit) {
    if (limit < 1) throw new IllegalArgumentException("limit must be positive: " + limit);
    this.order = new AtomicReferenceArray<>(limit);
  }

  public V get(String requestId) {
    return values.get(requestId);
  }

  /** The request's value, created and remembered as the most recent when it has none. */
  public V computeIfAbsent(String requestId, Supplier<V> create) {
    V value = values.get(requestId);
    if (value != null) return value;
    boolean[] created = {false};
    value =
        values.computeIfAbsent(
            requestId,
            id -> {
              created[0] = true;
              return create.get();
            });
    if (created[0]) remember(requestId);
    return value;
  }

  /** Sets the request's value; a request not held yet becomes the most recent. */
  public void put(String requestId, V value) {
    if (values.put(requestId, value) == null) remember(requestId);
  }

  /** Forgets the requests whose value matches; returns how many. */
  public int forgetIf(Predicate<V> stale) {
    int before = values.size();
    values.values().removeIf(stale);
    return before - values.size();
  }

  public int size() {
    return values.size();
  }

  private void remember(String requestId) {
    int slot = (int) (added.getAndIncrement() % order.length());
    String earliest = order.getAndSet(slot, requestId);
    if (earliest != null && !earliest.equals(requestId)) values.remove(earliest);
  }
}
