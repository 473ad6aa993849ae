package io.promptway.scenarios.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promptway.scenarios.client.ClientError;
import io.promptway.scenarios.client.GenerationListener;
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
}
