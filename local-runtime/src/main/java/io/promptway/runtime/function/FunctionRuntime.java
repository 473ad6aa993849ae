package io.promptway.runtime.function;

import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.config.RuntimeConfig;
import io.promptway.runtime.http.Errors;
import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.metering.Meter;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Emulates the function runtime (Lambda): each invocation is billed one request plus its duration
 * in GB-seconds at 1 ms granularity (simulated time), including time spent waiting on the model;
 * invocations beyond the concurrency limit are throttled (429); an invocation past the maximum
 * duration (900 s) is stopped and billed for the full maximum; its interrupted model call is the
 * provider's caller going away, billed the input and the output tokens generated until then. Each
 * function (a pattern's entry function, its queue worker, each bus processor) is its own deployment
 * with its own concurrency limit, like reserved concurrency: patterns compared side by side on one
 * runtime do not take each other's, and a queue worker busy with a batch does not refuse the
 * requests being accepted.
 *
 * <p>Not modelled: cold starts, provisioned concurrency, ARM pricing, the free tier.
 */
public final class FunctionRuntime implements AutoCloseable {
  private final SimulatedClock clock;
  private final Meter meter;
  private final double memoryGb;
  private final Duration maxDuration;
  private final int concurrencyLimit;
  private final ConcurrentHashMap<String, Semaphore> concurrency = new ConcurrentHashMap<>();
  private final AtomicInteger running = new AtomicInteger();
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledThreadPoolExecutor guards = guardScheduler();

  public FunctionRuntime(SimulatedClock clock, Meter meter, RuntimeConfig.Function config) {
    this.clock = clock;
    this.meter = meter;
    this.memoryGb = config.memoryMb() / 1024.0;
    this.maxDuration = config.maxDuration();
    this.concurrencyLimit = config.concurrencyLimit();
  }

  /** The invocation's own view: billed duration so far, and whether the runtime stopped it. */
  public interface Invocation {
    Duration elapsed();

    /**
     * True once the invocation ran past the maximum duration: its caller has been told {@link
     * FunctionTimeoutException} and its thread is interrupted, so a handler that sees its work
     * interrupted can record why.
     */
    boolean timedOut();
  }

  /** A function body; it may read how long it has run. */
  public interface Handler<T> {
    T handle(Invocation invocation) throws Exception;
  }

  /**
   * Starts an invocation on its own thread and returns at once; the future completes with the
   * handler's result. Billing happens when the handler ends, whoever is still waiting for it, or at
   * the maximum duration, when the handler is interrupted and the future fails with {@link
   * FunctionTimeoutException}.
   */
  public <T> CompletableFuture<T> start(String requestId, String pattern, Handler<T> handler) {
    return start(List.of(requestId), pattern, handler);
  }

  /**
   * Starts one invocation that serves several requests (a queue batch); its bill (one request and
   * its duration) is shared equally among them.
   */
  public <T> CompletableFuture<T> start(
      List<String> requestIds, String pattern, Handler<T> handler) {
    return start(requestIds, pattern, pattern, handler);
  }

  /**
   * As {@link #start(List, String, Handler)}, in the function {@code function} (billed to {@code
   * pattern}), which counts against its own concurrency limit.
   */
  public <T> CompletableFuture<T> start(
      List<String> requestIds, String pattern, String function, Handler<T> handler) {
    Semaphore permits = permit(function);
    CompletableFuture<T> result = new CompletableFuture<>();
    RunningInvocation invocation = new RunningInvocation(clock);
    // The handler always runs, so its permit is released even when the deadline passes before it
    // begins (at a high time scale the maximum is a few real nanoseconds); it then begins
    // interrupted. Whichever ends the invocation first, the handler or the deadline, bills it
    // before the result is visible, so a caller reading the cost sees all of it.
    executor.execute(
        () -> {
          Ran<T> ran = run(invocation, permits, handler);
          if (!invocation.settle()) return; // stopped at the deadline, which billed and answered
          bill(requestIds, pattern, invocation.elapsed());
          if (ran.failure() == null) result.complete(ran.value());
          else result.completeExceptionally(ran.failure());
        });
    var guard =
        guards.schedule(
            () -> {
              if (!invocation.settle()) return;
              invocation.stop();
              bill(requestIds, pattern, maxDuration);
              result.completeExceptionally(new FunctionTimeoutException(maxDuration));
            },
            clock.toRealNanos(maxDuration),
            TimeUnit.NANOSECONDS);
    result.whenComplete((r, t) -> guard.cancel(false));
    return result;
  }

  /**
   * Runs an invocation of {@code pattern}'s function on the calling thread, for a caller that must
   * be answered within {@code answerBy} (simulated) whether or not the function has ended: a
   * synchronous integration behind the API gateway. Unlike {@link #start} and a timed wait for it,
   * there is no hand-off to a thread of the function's own and back, and one timer instead of two
   * (about 4 % of a sync request's CPU, benchmarks/RESULTS.md, session 19).
   *
   * <p>When {@code answerBy} passes first, {@code late} runs once on a thread of its own while the
   * handler runs on: it answers the caller (true), or finds the function already ending and leaves
   * the answer to this thread (false). The handler is billed when it ends, whoever answered; past
   * the maximum duration it is interrupted and billed the maximum, as with {@link #start}.
   *
   * @return the handler's value (not null), or empty when {@code late} answered the caller
   * @throws ApiException when the function's concurrency limit refuses the invocation (it did not
   *     run)
   * @throws ExecutionException with the handler's failure, or {@link FunctionTimeoutException} when
   *     the function was stopped at its maximum duration
   */
  public <T> Optional<T> runHere(
      String requestId, String pattern, Duration answerBy, BooleanSupplier late, Handler<T> handler)
      throws ExecutionException {
    Semaphore permits = permit(pattern);
    List<String> requestIds = List.of(requestId);
    RunningInvocation invocation = new RunningInvocation(clock);
    HereCall call = new HereCall(late);
    long answerNanos = clock.toRealNanos(answerBy);
    long maxNanos = clock.toRealNanos(maxDuration);
    ScheduledFuture<?> timer =
        answerNanos < maxNanos
            ? guards.schedule(
                () -> {
                  // a guard the handler's end misses cancelling finds the invocation settled
                  // and does nothing
                  call.guard =
                      stopAt(invocation, requestIds, pattern, call, maxNanos - answerNanos);
                  if (call.claim()) Thread.ofVirtual().start(call::answerLate);
                },
                answerNanos,
                TimeUnit.NANOSECONDS)
            : stopAt(invocation, requestIds, pattern, call, maxNanos);
    Ran<T> ran =
        run(
            invocation,
            permits,
            inv -> Objects.requireNonNull(handler.handle(inv), "a function's value"));
    Throwable failure = ran.failure();
    timer.cancel(false);
    ScheduledFuture<?> guard = call.guard;
    if (guard != null) guard.cancel(false);
    if (invocation.settle()) {
      bill(requestIds, pattern, invocation.elapsed());
    } else {
      // stopped at the maximum duration: wait until the interrupt has landed, then clear it, as
      // this thread goes on serving its connection
      call.stopped.awaitUninterruptibly();
      Thread.interrupted();
      failure = new FunctionTimeoutException(maxDuration);
    }
    if (!call.claim() && call.awaitLateAnswer()) return Optional.empty();
    if (failure != null) throw new ExecutionException(failure);
    return Optional.of(ran.value());
  }

  /** The function's permit; refused (429) past its concurrency limit. */
  private Semaphore permit(String function) {
    Semaphore permits = concurrency.computeIfAbsent(function, f -> new Semaphore(concurrencyLimit));
    if (!permits.tryAcquire()) {
      throw Errors.throttled(
          "function concurrency limit reached; retry later", Duration.ofSeconds(1));
    }
    return permits;
  }

  /** What a handler ended with: its value, or what it threw. */
  private record Ran<T>(T value, Throwable failure) {}

  /** Runs the handler on this thread, holding {@code permits} until it ends. */
  private <T> Ran<T> run(RunningInvocation invocation, Semaphore permits, Handler<T> handler) {
    invocation.begin();
    running.incrementAndGet();
    try {
      return new Ran<>(handler.handle(invocation), null);
    } catch (Throwable t) {
      return new Ran<>(null, t);
    } finally {
      invocation.end();
      permits.release();
      running.decrementAndGet(); // after the release: no running invocation holds a slot
    }
  }

  private ScheduledFuture<?> stopAt(
      RunningInvocation invocation,
      List<String> requestIds,
      String pattern,
      HereCall call,
      long realNanos) {
    return guards.schedule(
        () -> {
          if (!invocation.settle()) return;
          try {
            invocation.stop();
            bill(requestIds, pattern, maxDuration);
          } finally {
            call.stopped.countDown();
          }
        },
        realNanos,
        TimeUnit.NANOSECONDS);
  }

  /** Who answers a {@link #runHere} caller: the handler's thread, or the late answer. */
  private static final class HereCall {
    final BooleanSupplier late;
    final AtomicBoolean claimed = new AtomicBoolean();
    final Latch lateDone = new Latch();
    final Latch stopped = new Latch();
    volatile ScheduledFuture<?> guard;
    volatile boolean answeredLate;

    HereCall(BooleanSupplier late) {
      this.late = late;
    }

    boolean claim() {
      return claimed.compareAndSet(false, true);
    }

    void answerLate() {
      try {
        answeredLate = late.getAsBoolean();
      } finally {
        lateDone.countDown();
      }
    }

    /**
     * Whether the late answer went out, once it is done; false leaves the answer to the handler.
     */
    boolean awaitLateAnswer() {
      lateDone.awaitUninterruptibly();
      return answeredLate;
    }
  }

  /** A one-shot latch waited on without giving up on interrupts. */
  private static final class Latch {
    private final CountDownLatch latch = new CountDownLatch(1);

    void countDown() {
      latch.countDown();
    }

    void awaitUninterruptibly() {
      boolean interrupted = false;
      while (true) {
        try {
          latch.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /** Runs a handler to completion on the caller's behalf (start + wait). */
  public <T> T invoke(String requestId, String pattern, Handler<T> handler) throws Exception {
    return invoke(requestId, pattern, pattern, handler);
  }

  /** As {@link #invoke(String, String, Handler)}, in the function {@code function}. */
  public <T> T invoke(String requestId, String pattern, String function, Handler<T> handler)
      throws Exception {
    try {
      return start(List.of(requestId), pattern, function, handler).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception ex) throw ex;
      throw e;
    }
  }

  /** Bills a duration that was measured elsewhere (e.g. a WebSocket handler's own timing). */
  public void bill(String requestId, String pattern, Duration simulated) {
    bill(List.of(requestId), pattern, simulated);
  }

  /** Bills one invocation of {@code simulated} duration, shared equally among requests. */
  public void bill(List<String> requestIds, String pattern, Duration simulated) {
    Duration billed = simulated.compareTo(maxDuration) > 0 ? maxDuration : simulated;
    long ms = Math.max(1, (billed.toNanos() + 999_999) / 1_000_000);
    double share = 1.0 / requestIds.size();
    for (String requestId : requestIds) {
      meter.record(requestId, pattern, BillableUnit.FUNCTION_REQUEST, share);
      meter.record(
          requestId, pattern, BillableUnit.FUNCTION_GB_SECOND, ms / 1000.0 * memoryGb * share);
    }
  }

  public int running() {
    return running.get();
  }

  public double memoryGb() {
    return memoryGb;
  }

  private static ScheduledThreadPoolExecutor guardScheduler() {
    var scheduler =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().daemon().name("function-max-duration").factory());
    scheduler.setRemoveOnCancelPolicy(true);
    return scheduler;
  }

  @Override
  public void close() {
    guards.shutdownNow();
    executor.shutdownNow();
  }
}
