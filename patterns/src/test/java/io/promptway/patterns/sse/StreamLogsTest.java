package io.promptway.patterns.sse;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.runtime.clock.SimulatedClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StreamLogsTest {

  @Test
  void finishedStreamStaysResumableUntilItsRetentionWindowPasses() {
    SimulatedClock clock = new SimulatedClock(1000);
    StreamLogs logs = new StreamLogs(clock, Duration.ofSeconds(100));
    EventLog log = logs.open("r1");
    log.append(StreamEvent.TOKEN, "a");

    assertTrue(logs.find("r1").isPresent(), "running stream");
    log.finish(StreamEvent.COMPLETE, "{}", clock.nanos());
    assertTrue(logs.find("r1").isPresent(), "just finished");

    await().atMost(Duration.ofSeconds(5)).until(() -> logs.find("r1").isEmpty());
  }

  @Test
  void runningStreamIsNeverEvicted() throws Exception {
    SimulatedClock clock = new SimulatedClock(100_000);
    StreamLogs logs = new StreamLogs(clock, Duration.ofSeconds(1));
    logs.open("running");
    EventLog done = logs.open("done");
    done.finish(StreamEvent.COMPLETE, "{}", clock.nanos());
    Thread.sleep(20); // 2,000 simulated seconds: well past the 1 s retention

    assertEquals(1, logs.evictExpired());
    assertTrue(logs.find("running").isPresent());
  }
}
