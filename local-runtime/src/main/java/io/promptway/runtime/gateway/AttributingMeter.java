package io.promptway.runtime.gateway;

import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.metering.CostBreakdown;
import io.promptway.runtime.metering.Meter;
import io.promptway.runtime.metering.MeterRecord;
import io.promptway.runtime.metering.PriceTable;
import io.promptway.runtime.metering.RecentRequests;
import io.promptway.runtime.observability.RuntimeMetrics;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The meter as the gateway sees it: every record goes to the real meter, then is attributed to the
 * caller (API key name) the gateway admitted the request for, charged to that caller's daily budget
 * and counted in the metrics. Work billed after the response (async workers, webhooks) is still
 * attributed, as long as it happens within the attribution window and fewer than the limit of
 * requests were admitted since.
 */
public final class AttributingMeter implements Meter {
  private final Meter delegate;
  private final BudgetLedger ledger;
  private final RuntimeMetrics metrics;
  private final LongSupplier nanos;

  // the callers of recent requests, and when they were admitted, by slot; guarded by `recent`
  private final RecentRequests recent;
  private String[] callers = new String[0];
  private long[] admittedNanos = new long[0];

  /**
   * @param limit how many requests' callers are kept at most, the earliest admitted forgotten first
   *     (besides those older than the window {@link #forgetOlderThan} is given)
   */
  public AttributingMeter(
      Meter delegate, BudgetLedger ledger, RuntimeMetrics metrics, LongSupplier nanos, int limit) {
    this.delegate = delegate;
    this.ledger = ledger;
    this.metrics = metrics;
    this.nanos = nanos;
    this.recent = new RecentRequests(limit);
  }

  /** Records that {@code requestId} was admitted for {@code caller}. */
  public void attribute(String requestId, String caller) {
    if (requestId == null || caller == null) return;
    long now = nanos.getAsLong();
    synchronized (recent) {
      int slot = recent.claim(requestId);
      if (slot < 0) slot = -slot - 1;
      if (slot >= callers.length) {
        callers = Arrays.copyOf(callers, recent.capacity());
        admittedNanos = Arrays.copyOf(admittedNanos, recent.capacity());
      }
      callers[slot] = caller;
      admittedNanos[slot] = now;
    }
  }

  public String callerOf(String requestId) {
    if (requestId == null) return null;
    synchronized (recent) {
      int slot = recent.find(requestId);
      return slot < 0 ? null : callers[slot];
    }
  }

  /** Forgets attributions older than {@code ageNanos} (simulated); returns how many. */
  public int forgetOlderThan(long ageNanos) {
    long cutoff = nanos.getAsLong() - ageNanos;
    synchronized (recent) {
      return recent.forgetIf(slot -> admittedNanos[slot] < cutoff);
    }
  }

  public int attributions() {
    synchronized (recent) {
      return recent.size();
    }
  }

  @Override
  public MeterRecord record(
      String requestId, String pattern, BillableUnit unit, String model, double quantity) {
    MeterRecord r = delegate.record(requestId, pattern, unit, model, quantity);
    String caller = Meter.platformBill(requestId) ? ApiClient.PLATFORM.name() : callerOf(requestId);
    ledger.charge(caller, r.usd());
    metrics.metered(r, caller);
    return r;
  }

  @Override
  public List<MeterRecord> records(String requestId) {
    return delegate.records(requestId);
  }

  @Override
  public CostBreakdown cost(String requestId) {
    return delegate.cost(requestId);
  }

  @Override
  public List<UsageTotal> totals() {
    return delegate.totals();
  }

  @Override
  public PriceTable prices() {
    return delegate.prices();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
