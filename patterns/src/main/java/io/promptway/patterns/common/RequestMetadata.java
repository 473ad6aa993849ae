package io.promptway.patterns.common;

import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.http.Envelope;
import io.promptway.runtime.metering.Meter;

/**
 * The envelope's metadata as every pattern fills it: the request, pattern and model, the latency
 * since the request's start on the runtime's clock, and its cost so far.
 */
public final class RequestMetadata {
  private final SimulatedClock clock;
  private final Meter meter;

  public RequestMetadata(SimulatedClock clock, Meter meter) {
    this.clock = clock;
    this.meter = meter;
  }

  /**
   * Without cost, for an answer given before anything ran: the meter holds nothing for the request
   * yet, so reading it would wait for its write-behind to drain, which would serialise the intake.
   * The status URL and the webhook carry the cost.
   */
  public Envelope.Metadata accepted(String requestId, String pattern, String model, long start) {
    return new Envelope.Metadata(requestId, pattern, model, null, latencyMs(start), null);
  }

  /** With the cost metered so far, and the usage when there is one. */
  public Envelope.Metadata metered(
      String requestId, String pattern, String model, Envelope.Usage usage, long start) {
    return new Envelope.Metadata(
        requestId, pattern, model, usage, latencyMs(start), meter.cost(requestId).toEnvelope());
  }

  private double latencyMs(long start) {
    return (clock.nanos() - start) / 1e6;
  }
}
