package io.promptway.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HttpStatusTest {
  @Test
  void fillsTheReasonPhraseHelidonLacks() {
    assertEquals("Request Header Fields Too Large", HttpStatus.of(431).reasonPhrase());
  }

  @Test
  void keepsHelidonsOwnStatuses() {
    assertEquals("Too Many Requests", HttpStatus.of(429).reasonPhrase());
    assertEquals(504, HttpStatus.of(504).code());
  }
}
