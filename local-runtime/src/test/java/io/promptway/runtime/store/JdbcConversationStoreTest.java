package io.promptway.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.db.Database;
import io.promptway.runtime.gateway.ChatMessage;
import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.metering.JdbcMeter;
import io.promptway.runtime.metering.PriceTable;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbcConversationStoreTest {
  private Database db;
  private JdbcMeter meter;
  private JdbcConversationStore store;

  @BeforeEach
  void open() {
    db = new Database("jdbc:h2:mem:conv-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    SimulatedClock clock = SimulatedClock.realTime();
    meter = new JdbcMeter(db, PriceTable.shipped(), clock);
    store = new JdbcConversationStore(db, clock, meter);
  }

  @AfterEach
  void close() {
    meter.close();
    db.close();
  }

  @Test
  void keepsTurnsInOrderAcrossAppends() {
    store.append(
        "c1", List.of(ChatMessage.user("hi"), ChatMessage.assistant("hello")), "r1", "websocket");
    store.append("c1", List.of(ChatMessage.user("and then?")), "r2", "websocket");
    store.append("c2", List.of(ChatMessage.user("other")), "r3", "websocket");

    List<ChatMessage> turns = store.history("c1", "r4", "websocket");

    assertEquals(
        List.of(
            ChatMessage.user("hi"), ChatMessage.assistant("hello"), ChatMessage.user("and then?")),
        turns);
    assertEquals(3, store.turnCount("c1"));
    assertEquals(0, store.turnCount("unknown"));
  }

  @Test
  void unknownConversationHasNoHistory() {
    assertTrue(store.history("never-seen", "r1", "websocket").isEmpty());
  }

  @Test
  void billsWritesPerTurnAndReadsInHalfUnitsPerFourKilobytes() {
    store.append(
        "c1",
        List.of(ChatMessage.user("x".repeat(1500)), ChatMessage.assistant("ok")),
        "r1",
        "websocket");
    store.history("c1", "r2", "websocket");

    double writes =
        meter.records("r1").stream()
            .filter(r -> r.unit() == BillableUnit.STATE_WRITE_UNIT)
            .mapToDouble(r -> r.quantity())
            .sum();
    double reads =
        meter.records("r2").stream()
            .filter(r -> r.unit() == BillableUnit.STATE_READ_UNIT)
            .mapToDouble(r -> r.quantity())
            .sum();
    assertEquals(3.0, writes, "1.5 KB turn = 2 write units, small turn = 1");
    assertEquals(0.5, reads, "under 4 KB read = half a read unit");
  }
}
