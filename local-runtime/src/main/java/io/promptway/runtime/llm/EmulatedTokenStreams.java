package io.promptway.runtime.llm;

import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.metering.Meter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToIntFunction;

/**
 * The embedded emulator's streams taken in process: the same {@link CompletionPlan} the provider's
 * {@code /chat/completions} would stream (tokens, timings, faults drawn per attempt), handed to the
 * listener as each token falls due on the simulated clock, with the provider's bills (input tokens
 * up front, output tokens generated until the end, a drop or a cancel). No socket, no chunk JSON.
 *
 * <p>Token times are absolute deadlines from the call's start, so per-token overhead does not add
 * up into drift. A cancel wakes the waiting thread at once (it is parked, not interrupted, so an
 * interrupt can never leak into the caller's later database work). Not modelled here: the HTTP
 * client's header timeout (the emulator answers headers at once anyway).
 */
public final class EmulatedTokenStreams implements TokenStreams {
  private final Map<String, ModelProfile> models;
  private final CompletionPlanner planner;
  private final SimulatedClock clock;
  private final Meter meter;
  private final ToIntFunction<String> attempts;

  /**
   * @param attempts how many earlier calls the request id has made (shared with the provider's HTTP
   *     endpoint, so a retry draws a fresh fault whichever path it takes)
   */
  public EmulatedTokenStreams(
      Map<String, ModelProfile> models,
      CompletionPlanner planner,
      SimulatedClock clock,
      Meter meter,
      ToIntFunction<String> attempts) {
    this.models = Map.copyOf(models);
    this.planner = planner;
    this.clock = clock;
    this.meter = meter;
    this.attempts = attempts;
  }

  @Override
  public LlmClient.Completion stream(
      LlmClient.Call call, LlmClient.TokenListener listener, LlmClient.Cancellation cancellation) {
    ModelProfile profile = models.get(call.model());
    if (profile == null) {
      throw new LlmCallException(
          404, "MODEL_NOT_FOUND", "The model '" + call.model() + "' does not exist", null);
    }
    if (call.messages().isEmpty()) {
      throw new LlmCallException(
          400, "INVALID_REQUEST_ERROR", "messages must be a non-empty array", null);
    }
    if (call.maxTokens() < 1) {
      throw new LlmCallException(
          400, "INVALID_REQUEST_ERROR", "max_tokens must be a positive integer", null);
    }
    Fault forced = forcedFault(call.forcedFault());
    CompletionPlan plan =
        planner.plan(
            call.model(),
            profile,
            call.messages(),
            call.maxTokens(),
            forced,
            attempts.applyAsInt(call.requestId()));
    Thread self = Thread.currentThread();
    cancellation.onCancel(() -> LockSupport.unpark(self));
    failFast(plan, cancellation);
    record(call, BillableUnit.LLM_INPUT_TOKEN, plan.promptTokens());
    List<String> tokens = plan.tokens();
    StringBuilder text = new StringBuilder();
    int generated = 0;
    try {
      long due = clock.nanos() + toSimNanos(plan.ttft());
      for (int i = 0; i < tokens.size() && !cancellation.cancelled(); i++) {
        if (i == plan.faultAtToken()) {
          if (plan.fault() == Fault.STALL) due += toSimNanos(plan.stall());
          if (plan.fault() == Fault.DROP) {
            throw new LlmCallException(
                0,
                "STREAM_DROPPED",
                "the model stream ended after " + generated + " tokens without [DONE]",
                null);
          }
        }
        due += toSimNanos(plan.gaps().get(i));
        if (!waitUntil(due, cancellation)) break;
        generated++;
        String token = tokens.get(i);
        text.append(token);
        listener.onToken(token);
      }
    } finally {
      record(call, BillableUnit.LLM_OUTPUT_TOKEN, generated);
    }
    String finish = cancellation.cancelled() ? "cancelled" : plan.finishReason();
    return new LlmClient.Completion(text.toString(), plan.promptTokens(), generated, finish);
  }

  private void failFast(CompletionPlan plan, LlmClient.Cancellation cancellation) {
    switch (plan.fault()) {
      case RATE_LIMIT -> {
        pause(Duration.ofMillis(20), cancellation);
        long seconds = Math.max(1, plan.retryAfter().toSeconds());
        throw new LlmCallException(
            429,
            "RATE_LIMIT_EXCEEDED",
            "Rate limit reached for " + plan.model() + ". Please try again in " + seconds + "s.",
            Duration.ofSeconds(seconds));
      }
      case SERVER_ERROR -> {
        pause(plan.ttft(), cancellation);
        throw new LlmCallException(
            500, "SERVER_ERROR", "The server had an error while processing your request.", null);
      }
      case UNAVAILABLE -> {
        pause(Duration.ofMillis(20), cancellation);
        throw new LlmCallException(
            503,
            "SERVICE_UNAVAILABLE",
            "The engine is currently overloaded, please try again later.",
            Duration.ofSeconds(1));
      }
      default -> {}
    }
  }

  private void pause(Duration simulated, LlmClient.Cancellation cancellation) {
    waitUntil(clock.nanos() + toSimNanos(simulated), cancellation);
  }

  /**
   * Parks until the simulated instant {@code due}; false when cancelled first. Spurious wake-ups (a
   * stray unpark) just park again.
   */
  private boolean waitUntil(long due, LlmClient.Cancellation cancellation) {
    while (!cancellation.cancelled()) {
      long remaining = (long) ((due - clock.nanos()) / clock.scale());
      if (remaining <= 0) return true;
      LockSupport.parkNanos(remaining);
    }
    return false;
  }

  private static long toSimNanos(Duration d) {
    return d.toNanos();
  }

  private void record(LlmClient.Call call, BillableUnit unit, int tokens) {
    if (call.requestId() != null)
      meter.record(call.requestId(), call.pattern(), unit, call.model(), tokens);
  }

  private static Fault forcedFault(String text) {
    if (text == null) return null;
    try {
      return Fault.parse(text);
    } catch (IllegalArgumentException e) {
      throw new LlmCallException(400, "INVALID_REQUEST_ERROR", e.getMessage(), null);
    }
  }
}
