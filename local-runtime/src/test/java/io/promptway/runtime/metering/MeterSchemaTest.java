package io.promptway.runtime.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.db.Database;
import io.promptway.runtime.db.Schemas;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MeterSchemaTest {
  @Test
  void aFreshDatabaseGetsTheSchemaTheMigrationsEndIn() {
    try (Database fresh = memoryDb();
        Database migrated = memoryDb()) {
      new JdbcMeter(fresh, PriceTable.shipped(), SimulatedClock.realTime()).close();
      migrated.migrate("metering", JdbcMeter.MIGRATIONS);
      assertTrue(Schemas.describe(fresh).stream().anyMatch(l -> l.startsWith("METER_LINES")));
      assertEquals(Schemas.describe(migrated), Schemas.describe(fresh));
      try (JdbcMeter meter =
          new JdbcMeter(migrated, PriceTable.shipped(), SimulatedClock.realTime())) {
        meter.record("r1", "sync", BillableUnit.REST_API_REQUEST, 1);
        assertEquals(1, meter.records("r1").size());
      }
    }
  }

  private static Database memoryDb() {
    return new Database("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  }
}
