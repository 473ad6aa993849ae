package io.promptway.patterns.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MessageUnitsTest {

  @Test
  void billsMessagesIn32KilobyteUnitsSoA33KilobyteMessageIsTwo() {
    assertEquals(1, MessageUnits.messages(0));
    assertEquals(1, MessageUnits.messages(32 * 1024));
    assertEquals(2, MessageUnits.messages(33 * 1024));
    assertEquals(4, MessageUnits.messages(128 * 1024));
  }

  @Test
  void billsConnectionTimeInWholeMinutesRoundedUp() {
    assertEquals(1, MessageUnits.connectionMinutes(Duration.ofSeconds(3)));
    assertEquals(1, MessageUnits.connectionMinutes(Duration.ofSeconds(60)));
    assertEquals(2, MessageUnits.connectionMinutes(Duration.ofSeconds(61)));
    assertEquals(120, MessageUnits.connectionMinutes(Duration.ofHours(2)));
  }
}
