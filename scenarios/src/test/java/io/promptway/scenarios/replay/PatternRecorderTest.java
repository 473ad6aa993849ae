package io.promptway.scenarios.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promptway.scenarios.client.ClientError;
import io.promptway.scenarios.client.Completion;
import io.promptway.scenarios.client.GenerationListener;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PatternRecorderTest {
  @Test
  void aRequestStillInFlightWhenTheRecordingClosesStaysInFlightInsteadOfFailing() {
    PatternRecorder recorder = new PatternRecorder("sse", 1, new long[] {0, 0});
    GenerationListener finishedInTime = recorder.begin(0, System.nanoTime());
    GenerationListener cutOff = recorder.begin(1, System.nanoTime());
    finishedInTime.onError(
        new ClientError(ClientError.Kind.CLIENT_TIMEOUT, 0, "CLIENT_TIMEOUT", "too slow"));

    recorder.close();
    cutOff.onError(new ClientError(ClientError.Kind.CONNECTION, 0, "CONNECTION", "pool closed"));

    assertEquals(1, recorder.failures());
    assertEquals(1, recorder.inFlight());
  }

  @Test
  void aRedirectedRequestThatTimesOutIsStillMovedWithItsFinalCost() {
    PatternRecorder recorder = new PatternRecorder("hybrid", 1, new long[] {0, 0});
    GenerationListener timedOut = recorder.begin(0, System.nanoTime());
    GenerationListener completed = recorder.begin(1, System.nanoTime());
    timedOut.onRedirected("sse", "req_a");
    timedOut.onAccepted("req_a");
    timedOut.onError(
        new ClientError(ClientError.Kind.CLIENT_TIMEOUT, 0, "CLIENT_TIMEOUT", "too slow"));
    completed.onRedirected("sse", "req_b");
    completed.onComplete(
        new Completion("req_b", "hi", "stop", 1, 1, 0.2, "hybrid/sse", 0, Map.of("llm", 0.2)));

    var moved =
        recorder.redirectedCost(
            Map.of("req_a", Map.of("llm", 1.0, "gateway", 0.5), "req_b", Map.of("llm", 0.25)));

    assertEquals(Map.of("sse", Map.of("gateway", 0.5, "llm", 1.25)), moved);
    assertEquals(2, recorder.redirects().size());
  }
}
