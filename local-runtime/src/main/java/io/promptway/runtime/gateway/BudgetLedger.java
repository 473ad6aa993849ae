package io.promptway.runtime.gateway;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Money spent per caller per simulated day, in USD, fed from the meter ({@link AttributingMeter}).
 * The gateway refuses new requests from a caller whose plan has a daily budget once the day's spend
 * reaches it; work already admitted finishes and is billed, so spend can pass the budget by the
 * cost of the requests in flight (the platform's budgets behave the same way: they alert, late).
 */
public final class BudgetLedger {
  private final LongSupplier nanos;
  private final ConcurrentHashMap<String, DaySpend> spend = new ConcurrentHashMap<>();

  public BudgetLedger(LongSupplier nanos) {
    this.nanos = nanos;
  }

  public void charge(String caller, double usd) {
    if (caller == null || !(usd > 0)) return;
    DaySpend s = spend.get(caller);
    if (s == null) s = spend.computeIfAbsent(caller, c -> new DaySpend());
    s.add(today(), usd);
  }

  /** USD the caller spent today (simulated). */
  public double spentToday(String caller) {
    DaySpend s = spend.get(caller);
    return s == null ? 0 : s.on(today());
  }

  public long nanosUntilReset() {
    return DailyQuota.DAY_NANOS - Math.floorMod(nanos.getAsLong(), DailyQuota.DAY_NANOS);
  }

  private long today() {
    return nanos.getAsLong() / DailyQuota.DAY_NANOS;
  }

  /**
   * A caller's spend on the latest day it was charged. Every meter record is charged (about eight
   * per sync request), so this adds in place under a lock rather than swapping in a new value and a
   * lambda per charge.
   */
  private static final class DaySpend {
    private long day = Long.MIN_VALUE;
    private double usd;

    synchronized void add(long today, double amount) {
      if (day != today) {
        day = today;
        usd = 0;
      }
      usd += amount;
    }

    synchronized double on(long today) {
      return day == today ? usd : 0;
    }
  }
}
