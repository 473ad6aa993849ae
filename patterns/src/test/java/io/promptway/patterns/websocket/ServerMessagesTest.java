package io.promptway.patterns.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promptway.runtime.http.Json;
import org.junit.jupiter.api.Test;

class ServerMessagesTest {

  @Test
  void aTokenRendersExactlyAsTheJsonMapperWritesIt() {
    for (String text : new String[] {"Hi", " there.", " \"q\" \\ \t\n", " café ☕ 😀"}) {
      for (double atMs : new double[] {0.0, 6.004, 812.345, 12_345_678.9}) {
        var token = new ServerMessages.Token("req_01\"x", 12345, text, atMs);
        assertEquals(Json.text(token), token.json(), text + " at " + atMs);
      }
    }
  }
}
