package io.promptway.runtime.gateway;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A usage plan's request quota per simulated day (days counted from the clock's start). The day and
 * the count share one {@link AtomicLong}, so a request is counted by one compare-and-set.
 */
public final class DailyQuota {
  static final long DAY_NANOS = 86_400_000_000_000L;
  private static final int COUNT_BITS = 40;
  private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;

  private final long limit;
  private final LongSupplier nanos;
  private final AtomicLong dayAndCount = new AtomicLong();

  public DailyQuota(long limit, LongSupplier nanos) {
    if (limit < 1) throw new IllegalArgumentException("quota must be at least 1, got " + limit);
    this.limit = Math.min(limit, COUNT_MASK);
    this.nanos = nanos;
  }

  public long limit() {
    return limit;
  }

  /** Counts one request if the day's quota allows it. */
  public boolean tryConsume() {
    while (true) {
      long day = nanos.getAsLong() / DAY_NANOS;
      long packed = dayAndCount.get();
      long count = (packed >>> COUNT_BITS) == day ? packed & COUNT_MASK : 0;
      if (count >= limit) return false;
      if (dayAndCount.compareAndSet(packed, (day << COUNT_BITS) | (count + 1))) return true;
    }
  }

  /** Whether the day's quota is used up, without counting a request. */
  public boolean exhausted() {
    return used() >= limit;
  }

  public long used() {
    long day = nanos.getAsLong() / DAY_NANOS;
    long packed = dayAndCount.get();
    return (packed >>> COUNT_BITS) == day ? packed & COUNT_MASK : 0;
  }

  /** Simulated nanoseconds until the quota resets. */
  public long nanosUntilReset() {
    long now = nanos.getAsLong();
    return DAY_NANOS - Math.floorMod(now, DAY_NANOS);
  }
}
