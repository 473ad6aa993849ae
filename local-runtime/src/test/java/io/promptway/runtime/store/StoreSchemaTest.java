package io.promptway.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.db.Database;
import io.promptway.runtime.db.Schemas;
import io.promptway.runtime.metering.JdbcMeter;
import io.promptway.runtime.metering.PriceTable;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StoreSchemaTest {
  private final SimulatedClock clock = SimulatedClock.realTime();

  @Test
  void aFreshDatabaseGetsTheSchemaTheMigrationsEndIn() {
    try (Database fresh = memoryDb();
        Database migrated = memoryDb();
        JdbcMeter meter = new JdbcMeter(fresh, PriceTable.shipped(), clock)) {
      new JdbcRequestStore(fresh, clock, Duration.ofDays(1), meter).close();
      migrated.migrate("store", JdbcRequestStore.MIGRATIONS);
      assertTrue(Schemas.describe(fresh).stream().anyMatch(l -> l.startsWith("REQUESTS TRAIL ")));
      assertTrue(Schemas.describe(fresh).stream().noneMatch(l -> l.startsWith("REQUEST_TRAIL")));
      assertEquals(
          Schemas.describe(migrated),
          Schemas.describe(fresh).stream().filter(l -> !l.startsWith("METER_LINES")).toList());
      try (JdbcMeter other = new JdbcMeter(migrated, PriceTable.shipped(), clock);
          JdbcRequestStore store =
              new JdbcRequestStore(migrated, clock, Duration.ofDays(1), other)) {
        store.create(new NewRequest("r1", "sync", "gpt-4o-mini", "anonymous", Map.of(), 5));
        assertEquals(1, store.trail("r1").size());
      }
    }
  }

  private static Database memoryDb() {
    return new Database("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  }
}
