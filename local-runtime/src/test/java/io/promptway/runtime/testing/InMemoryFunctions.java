package io.promptway.runtime.testing;

import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.config.RuntimeConfig;
import io.promptway.runtime.db.Database;
import io.promptway.runtime.function.FunctionRuntime;
import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.metering.JdbcMeter;
import io.promptway.runtime.metering.PriceTable;
import java.time.Duration;
import java.util.UUID;

/** A function runtime on real time, billing to a meter on its own in-memory database. */
public final class InMemoryFunctions implements AutoCloseable {
  private final Database db =
      new Database("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  private final JdbcMeter meter =
      new JdbcMeter(db, PriceTable.shipped(), SimulatedClock.realTime());
  private final FunctionRuntime functions;

  public InMemoryFunctions(Duration maxDuration, int concurrencyLimit) {
    functions =
        new FunctionRuntime(
            SimulatedClock.realTime(),
            meter,
            new RuntimeConfig.Function(512, maxDuration, concurrencyLimit));
  }

  public FunctionRuntime functions() {
    return functions;
  }

  public JdbcMeter meter() {
    return meter;
  }

  /** The quantity of {@code unit} billed to {@code requestId} so far. */
  public double billed(String requestId, BillableUnit unit) {
    return meter.records(requestId).stream()
        .filter(r -> r.unit() == unit)
        .mapToDouble(r -> r.quantity())
        .sum();
  }

  @Override
  public void close() {
    functions.close();
    meter.close();
    db.close();
  }
}
