package io.promptway.patterns.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MessageAssemblerTest {

  @Test
  void joinsFragmentsIntoOneMessage() {
    MessageAssembler a = new MessageAssembler(100);
    assertNull(a.add("{\"action\":", false));
    MessageAssembler.Message m = a.add("\"cancel\"}", true);
    assertEquals("{\"action\":\"cancel\"}", m.text());
    assertEquals(19, m.bytes());
    assertFalse(m.tooLarge());
  }

  @Test
  void oversizedMessageIsReportedOnceAndTheNextMessageIsReadNormally() {
    MessageAssembler a = new MessageAssembler(10);
    assertNull(a.add("0123456789", false));
    assertNull(a.add("abc", false));
    MessageAssembler.Message big = a.add("def", true);
    assertTrue(big.tooLarge());
    assertNull(big.text());
    assertEquals(16, big.bytes());

    assertEquals("ok", a.add("ok", true).text());
  }

  @Test
  void countsTheLimitInUtf8Bytes() {
    MessageAssembler a = new MessageAssembler(5);
    assertTrue(a.add("ééé", true).tooLarge(), "3 characters, 6 bytes");
  }
}
