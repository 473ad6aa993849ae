package io.promptway.patterns.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.runtime.http.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SseFramesTest {

  @Test
  void writesIdEventAndDataFieldsThatAnEventSourceReadsBack() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(SseFrames.retry(Duration.ofSeconds(3)));
    out.write(SseFrames.event(new StreamEvent(7, "token", "{\"seq\":7,\"text\":\"hi\"}", false)));
    out.write(SseFrames.comment("heartbeat"));
    out.write(SseFrames.event(new StreamEvent(8, "complete", "line1\nline2", true)));

    assertTrue(
        out.toString(StandardCharsets.UTF_8).startsWith("retry: 3000\n\nid: 7\nevent: token\n"));
    try (SseEventReader r = new SseEventReader(new ByteArrayInputStream(out.toByteArray()))) {
      assertEquals(3000L, r.next().retryMillis());
      SseEventReader.Received token = r.next();
      assertEquals("7", token.id());
      assertEquals("token", token.event());
      assertEquals("{\"seq\":7,\"text\":\"hi\"}", token.data());
      assertEquals("heartbeat", r.next().comment());
      SseEventReader.Received complete = r.next();
      assertEquals(
          "line1\nline2", complete.data(), "multi-line data survives as several data: fields");
      assertNull(r.next());
    }
  }

  record TokenData(long seq, String text, double atMs) {}

  @Test
  void tokenEventsRenderAsTheJsonMapperWouldAndTheirLengthIsKnownWithoutBuildingThem() {
    for (String text :
        new String[] {"Hello", " world.", " \"quoted\" \\ back", " tab\tnew\nline", " café ☕ 😀"}) {
      for (long id : new long[] {1, 9, 10, 12345}) {
        for (double atMs : new double[] {0.0, 6.004, 812.345, 1000.0, 12_345_678.9}) {
          String data = EventLog.tokenData(id, text, atMs);
          assertEquals(Json.text(new TokenData(id, text, atMs)), data);
          assertEquals(
              SseFrames.event(new StreamEvent(id, StreamEvent.TOKEN, data, false)).length,
              SseFrames.tokenEventLength(id, text, atMs),
              "length of token " + id + " '" + text + "' at " + atMs);
        }
      }
    }
  }
}
