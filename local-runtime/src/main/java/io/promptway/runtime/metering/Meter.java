package io.promptway.runtime.metering;

import java.util.List;

/**
 * The bill: every billable unit recorded per request and component, priced from the {@link
 * PriceTable} at the moment it is recorded.
 */
public interface Meter extends AutoCloseable {

  /**
   * The id a queue's own spend is billed under, for no request (an empty receive): the
   * deployment's, which attribution reads as the platform's.
   */
  static String queueBill(String queue) {
    return QUEUE_BILLS + queue;
  }

  /** Whether {@code id} is spend billed for no request (see {@link #queueBill}). */
  static boolean platformBill(String id) {
    return id.startsWith(QUEUE_BILLS);
  }

  String QUEUE_BILLS = "queue:";

  MeterRecord record(
      String requestId, String pattern, BillableUnit unit, String model, double quantity);

  default MeterRecord record(String requestId, String pattern, BillableUnit unit, double quantity) {
    return record(requestId, pattern, unit, null, quantity);
  }

  List<MeterRecord> records(String requestId);

  /**
   * The cost so far, cheap enough for a response path: implementations answer from memory where
   * they can rather than from {@link #records}, which waits for pending writes.
   */
  CostBreakdown cost(String requestId);

  /** Totals per pattern, component and unit over every record (for reports and /metering). */
  List<UsageTotal> totals();

  PriceTable prices();

  @Override
  void close();

  /** Sum of one unit for one pattern. */
  record UsageTotal(
      String pattern, BillableUnit unit, String model, double quantity, double usd, long requests) {
    /** This total and {@code other} (same pattern, unit and model) added together. */
    public UsageTotal plus(UsageTotal other) {
      return new UsageTotal(
          pattern,
          unit,
          model,
          quantity + other.quantity,
          usd + other.usd,
          requests + other.requests);
    }
  }
}
