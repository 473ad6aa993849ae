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
 * The embedded emulator taken in process: the same {@link CompletionPlan} the provider's {@code
 * /chat/completions} would answer with (tokens, timings, faults drawn per attempt), with the
 * provider's bills, but no socket and no JSON. A stream hands each token to the listener as it
 * falls due on the simulated clock (input tokens billed up front, output tokens generated until the
 * end, a drop or a cancel); a completion waits out the whole generation and answers at once,
 * failing as the HTTP endpoint's answer would read to {@link LlmClient} (same status, code, message
 * and Retry-After).
 *
 * <p>Token times are absolute deadlines from the call's start, so per-token overhead does not add
 * up into drift. A cancel wakes the waiting thread at once (it is parked, not interrupted, so an
 * interrupt can never leak into the caller's later database work). Not modelled here: the HTTP
 * client's header timeout (the emulator answers headers at once anyway).
 */
public final class EmulatedModel implements TokenStreams {
  private final Map<String, ModelProfile> models;
  private final CompletionPlanner planner;
  private final SimulatedClock clock;
  private final Meter meter;
  private final ToIntFunction<String> attempts;

  /**
   * @param attempts how many earlier calls the request id has made (shared with the provider's HTTP
   *     endpoint, so a retry draws a fresh fault whichever path it takes)
   */
  public EmulatedModel(
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
    CompletionPlan plan = plan(call);
    Thread self = Thread.currentThread();
    cancellation.onCancel(() -> LockSupport.unpark(self));
    try {
      failFast(plan, cancellation);
    } catch (Interrupted e) {
      throw interrupted(0);
    }
    record(call, BillableUnit.LLM_INPUT_TOKEN, plan.promptTokens());
    List<String> tokens = plan.tokens();
    StringBuilder text = new StringBuilder();
    int generated = 0;
    boolean wasInterrupted = false;
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
    } catch (Interrupted e) {
      wasInterrupted = true;
    } finally {
      record(call, BillableUnit.LLM_OUTPUT_TOKEN, generated);
    }
    if (wasInterrupted) throw interrupted(generated);
    String finish = cancellation.cancelled() ? "cancelled" : plan.finishReason();
    return new LlmClient.Completion(text.toString(), plan.promptTokens(), generated, finish);
  }

  /**
   * A non-streamed completion: waits until its last token is due, then answers with the whole text.
   * Billed as the provider bills it: input tokens once the call is accepted, all output tokens at
   * the end; a dropped connection bills no output. An interrupt (the function runtime stopping the
   * caller) ends the wait with the output billed all the same, since a provider finishes a
   * non-streamed completion whose caller has gone; the interrupt is restored for the caller.
   */
  public LlmClient.Completion complete(LlmClient.Call call) {
    CompletionPlan plan = plan(call);
    LlmClient.Cancellation never = new LlmClient.Cancellation();
    try {
      failFast(plan, never);
      record(call, BillableUnit.LLM_INPUT_TOKEN, plan.promptTokens());
      pause(plan.answeredAfter(), never);
    } catch (Interrupted e) {
      if (plan.fault() == Fault.NONE || plan.fault() == Fault.STALL)
        record(call, BillableUnit.LLM_OUTPUT_TOKEN, plan.completionTokens());
      throw interrupted(0);
    }
    if (plan.fault() == Fault.DROP) throw FaultAnswer.DROPPED.toCallException();
    record(call, BillableUnit.LLM_OUTPUT_TOKEN, plan.completionTokens());
    return new LlmClient.Completion(
        plan.text(), plan.promptTokens(), plan.completionTokens(), plan.finishReason());
  }

  /** Checks the call as the provider's endpoint would, then plans its answer. */
  private CompletionPlan plan(LlmClient.Call call) {
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
    return planner.plan(
        call.model(),
        profile,
        call.messages(),
        call.maxTokens(),
        forced,
        attempts.applyAsInt(call.requestId()));
  }

  private void failFast(CompletionPlan plan, LlmClient.Cancellation cancellation) {
    FaultAnswer answer = FaultAnswer.before(plan);
    if (answer == null) return;
    pause(answer.delay(), cancellation);
    throw answer.toCallException();
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
      if (Thread.interrupted()) throw new Interrupted();
      long remaining = (long) ((due - clock.nanos()) / clock.scale());
      if (remaining <= 0) return true;
      LockSupport.parkNanos(remaining);
    }
    return false;
  }

  /**
   * The caller's thread was interrupted (the function runtime stops a function past its maximum
   * duration this way): the stream stops, is billed for what was generated, and the interrupt is
   * restored for the caller once the bill is recorded.
   */
  private static LlmCallException interrupted(int generated) {
    Thread.currentThread().interrupt();
    return new LlmCallException(
        0, "INTERRUPTED", "interrupted after " + generated + " tokens from the model", null);
  }

  private static final class Interrupted extends RuntimeException {
    Interrupted() {
      super(null, null, false, false);
    }
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
