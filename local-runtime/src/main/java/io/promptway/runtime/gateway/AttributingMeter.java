package io.promptway.runtime.gateway;

import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.metering.Meter;
import io.promptway.runtime.metering.MeterRecord;
import io.promptway.runtime.metering.PriceTable;
import io.promptway.runtime.metering.RecentRequests;
import io.promptway.runtime.observability.RuntimeMetrics;
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
  private final RecentRequests<Attribution> callers;

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
    this.callers = new RecentRequests<>(limit);
  }

  /** Records that {@code requestId} was admitted for {@code caller}. */
  public void attribute(String requestId, String caller) {
    if (requestId != null && caller != null) {
      callers.put(requestId, new Attribution(caller, nanos.getAsLong()));
    }
  }

  public String callerOf(String requestId) {
    Attribution a = requestId == null ? null : callers.get(requestId);
    return a == null ? null : a.caller;
  }

  /** Forgets attributions older than {@code ageNanos} (simulated); returns how many. */
  public int forgetOlderThan(long ageNanos) {
    long cutoff = nanos.getAsLong() - ageNanos;
    return callers.forgetIf(a -> a.bornNanos < cutoff);
  }

  public int attributions() {
    return callers.size();
  }

  @Override
  public MeterRecord record(
      String requestId, String pattern, BillableUnit unit, String model, double quantity) {
    MeterRecord r = delegate.record(requestId, pattern, unit, model, quantity);
    String caller = callerOf(requestId);
    ledger.charge(caller, r.usd());
    metrics.metered(r, caller);
    return r;
  }

  @Override
  public List<MeterRecord> records(String requestId) {
    return delegate.records(requestId);
  }

  @Override
  public io.promptway.runtime.metering.CostBreakdown cost(String requestId) {
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

  private record Attribution(String caller, long bornNanos) {}
}
