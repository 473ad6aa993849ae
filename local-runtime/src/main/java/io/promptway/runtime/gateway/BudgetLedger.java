package io.promptway.runtime.gateway;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Money spent per caller per simulated day, in USD, fed from the meter ({@link AttributingMeter}).
 * The gateway refuses new requests from a caller whose plan has a daily budget once the day's spend
 * reaches it; work already admitted finishes and is billed, so spend can pass the budget by the
 * cost of the requests in flight (the platform's budgets behave the same way: they alert, late).
 */
public final class BudgetLedger {
  private final LongSupplier nanos;
  private final ConcurrentHashMap<String, AtomicReference<DaySpend>> spend =
      new ConcurrentHashMap<>();

  public BudgetLedger(LongSupplier nanos) {
    this.nanos = nanos;
  }

  public void charge(String caller, double usd) {
    if (caller == null || !(usd > 0)) return;
    long day = today();
    AtomicReference<DaySpend> ref =
        spend.computeIfAbsent(caller, c -> new AtomicReference<>(new DaySpend(day, 0)));
    ref.updateAndGet(s -> s.day == day ? new DaySpend(day, s.usd + usd) : new DaySpend(day, usd));
  }

  /** USD the caller spent today (simulated). */
  public double spentToday(String caller) {
    AtomicReference<DaySpend> ref = spend.get(caller);
    if (ref == null) return 0;
    DaySpend s = ref.get();
    return s.day == today() ? s.usd : 0;
  }

  public long nanosUntilReset() {
    return DailyQuota.DAY_NANOS - Math.floorMod(nanos.getAsLong(), DailyQuota.DAY_NANOS);
  }

  private long today() {
    return nanos.getAsLong() / DailyQuota.DAY_NANOS;
  }

  private record DaySpend(long day, double usd) {}
}
