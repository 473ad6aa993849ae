package io.promptway.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class JsonTest {
  record QueueView(Duration visibilityTimeout, Duration receiveWait, Duration retention) {}

  @Test
  void durationsAreWrittenAsAConfigFileWritesThem() {
    assertEquals(
        "{\"visibility_timeout\":\"5m\",\"receive_wait\":\"400ms\",\"retention\":\"4d\"}",
        Json.text(
            new QueueView(Duration.ofMinutes(5), Duration.ofMillis(400), Duration.ofDays(4))));
  }
}
