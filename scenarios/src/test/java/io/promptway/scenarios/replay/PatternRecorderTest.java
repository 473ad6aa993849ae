package io.promptway.scenarios.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.scenarios.client.ClientError;
import io.promptway.scenarios.client.Completion;
import io.promptway.scenarios.client.GenerationListener;
import io.promptway.scenarios.result.CostSummary;
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

  @Test
  void interTokenLatencyIsReadFromTheServersEmitStampsNotFromWhenTokensArrive() {
    PatternRecorder recorder = new PatternRecorder("sse", 20, new long[] {0});
    GenerationListener l = recorder.begin(0, System.nanoTime());
    // a burst: three tokens 6 ms apart in the model arrive in the same read
    l.onToken(1, "a", 100.0);
    l.onToken(2, "b", 106.0);
    l.onToken(3, "c", 112.0);
    l.onComplete(new Completion("req_1", "abc", "stop", 1, 3, 0, "sse", 0, Map.of()));

    var itl = recorder.result(CostSummary.NONE).interToken();
    assertEquals(2, itl.count());
    assertEquals(6.0, itl.p50(), 0.01);
  }

  @Test
  void tokensWithoutEmitStampsFallBackToTheirArrivalGapsScaledToSimulatedTime() throws Exception {
    PatternRecorder recorder = new PatternRecorder("sse", 20, new long[] {0});
    GenerationListener l = recorder.begin(0, System.nanoTime());
    l.onToken(1, "a", Double.NaN);
    long real = System.nanoTime();
    while (System.nanoTime() - real < 5_000_000) Thread.onSpinWait();
    l.onToken(2, "b", Double.NaN);
    l.onComplete(new Completion("req_1", "ab", "stop", 1, 2, 0, "sse", 0, Map.of()));

    var itl = recorder.result(CostSummary.NONE).interToken();
    assertEquals(1, itl.count());
    assertTrue(itl.p50() >= 100, "5 ms real at time scale 20: " + itl);
  }
}
