package io.promptway.patterns.webhook;

import io.promptway.patterns.Platform;
import io.promptway.runtime.config.RuntimeConfig;
import io.promptway.runtime.function.FunctionRuntime;
import io.promptway.runtime.function.FunctionTimeoutException;
import io.promptway.runtime.http.ApiException;
import io.promptway.runtime.queue.MessageQueue;
import io.promptway.runtime.queue.ReceivedMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The queue's consumers, as an event-source mapping would run them: one poller per worker (a
 * virtual thread) long-polls the queue for batches of up to 10 (gathered for up to {@code
 * batch_window} when one is set); each batch runs in one function invocation whose billed duration
 * covers the whole batch (shared among its requests), with at most {@code concurrency_per_worker}
 * model calls at a time (a semaphore, as in the seed article). An invocation past the function's
 * maximum duration is stopped with its jobs, each a failed attempt (see {@link AsyncJobHandler}).
 * Stopping the workers stops the jobs they hold and makes those messages visible again at once, as
 * a consumer shutting down cleanly does, so the next start takes them without waiting for their
 * visibility timeout (a crashed worker's messages still wait for it).
 */
public final class AsyncWorkers implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AsyncWorkers.class.getName());

  private final Platform platform;
  private final MessageQueue queue;
  private final AsyncJobHandler handler;
  private final RuntimeConfig.Async config;
  private final List<Thread> pollers = new ArrayList<>();
  private final Set<Thread> jobs = ConcurrentHashMap.newKeySet();
  private final Set<ReceivedMessage> held = ConcurrentHashMap.newKeySet();
  private volatile boolean running;

  AsyncWorkers(Platform platform, MessageQueue queue, AsyncJobHandler handler) {
    this.platform = platform;
    this.queue = queue;
    this.handler = handler;
    this.config = platform.config().async();
  }

  void start() {
    running = true;
    for (int i = 0; i < config.workers(); i++) {
      pollers.add(Thread.ofVirtual().name("async-worker-" + i).start(this::poll));
    }
  }

  private void poll() {
    while (running) {
      try {
        List<ReceivedMessage> batch = gather(Math.min(10, config.batchSize()));
        held.addAll(batch);
        if (!batch.isEmpty() && running) runBatch(batch);
        if (running) held.removeAll(batch); // each job has deleted or hidden its message
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (!running) return;
        LOG.log(
            Level.WARNING, "async worker failed on a batch; its messages will be redelivered", e);
      }
    }
  }

  /**
   * A long-polled receive; with a batching window, more receives until the batch is full or the
   * window (from the first message, in simulated time) has passed, as an event-source mapping's
   * {@code MaximumBatchingWindowInSeconds} does. Each receive is a billed queue request.
   */
  private List<ReceivedMessage> gather(int max) {
    List<ReceivedMessage> first = queue.receive(max);
    if (first.isEmpty() || config.batchWindow().isZero() || first.size() >= max) return first;
    List<ReceivedMessage> batch = new ArrayList<>(first);
    long deadline = platform.clock().nanos() + config.batchWindow().toNanos();
    while (batch.size() < max && running) {
      long left = deadline - platform.clock().nanos();
      if (left <= 0) break;
      batch.addAll(
          queue.receive(max - batch.size(), config.visibilityTimeout(), Duration.ofNanos(left)));
    }
    return batch;
  }

  /** One function invocation per pattern in the batch (async and hybrid are billed apart). */
  private void runBatch(List<ReceivedMessage> batch) throws InterruptedException {
    Map<String, List<Parsed>> byPattern = new LinkedHashMap<>();
    for (ReceivedMessage m : batch) {
      try {
        AsyncJob job = AsyncJob.parse(m.body());
        byPattern.computeIfAbsent(job.pattern(), p -> new ArrayList<>()).add(new Parsed(m, job));
      } catch (IllegalArgumentException e) {
        // left alone: it returns after the visibility timeout and is redriven to the dead-letter
        // queue
        LOG.warning("ignoring a message that is not an async job: " + e.getMessage());
      }
    }
    List<Future<Void>> invocations = new ArrayList<>();
    for (var group : byPattern.entrySet()) {
      List<String> ids = group.getValue().stream().map(p -> p.job.requestId()).toList();
      try {
        invocations.add(
            platform
                .functions()
                .start(
                    ids,
                    group.getKey(),
                    group.getKey() + "-worker",
                    inv -> runJobs(group.getValue(), inv)));
      } catch (ApiException throttled) {
        LOG.fine("function concurrency limit reached; the batch returns after its timeout");
      }
    }
    for (Future<Void> f : invocations) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (!running) continue;
        if (e.getCause() instanceof FunctionTimeoutException t) {
          LOG.fine("batch invocation stopped: " + t.getMessage()); // its jobs record it
        } else {
          LOG.log(Level.WARNING, "batch invocation failed", e.getCause());
        }
      }
    }
  }

  /**
   * Runs the batch's jobs, each on a thread of its own within the invocation; when the runtime
   * stops the invocation past its maximum duration, the jobs are stopped with it, as on the
   * platform.
   */
  private Void runJobs(List<Parsed> group, FunctionRuntime.Invocation inv)
      throws InterruptedException {
    Semaphore slots = new Semaphore(config.concurrencyPerWorker());
    List<Thread> threads = new ArrayList<>();
    for (Parsed p : group) {
      try {
        slots.acquire();
      } catch (InterruptedException e) {
        stop(threads);
        throw e;
      }
      Thread t =
          Thread.ofVirtual()
              .name("async-job-" + p.job.requestId())
              .unstarted(
                  () -> {
                    try {
                      if (running) handler.handle(p.message, p.job, () -> running, inv);
                    } catch (RuntimeException e) {
                      if (running)
                        LOG.log(Level.WARNING, "job " + p.job.requestId() + " failed", e);
                    } finally {
                      jobs.remove(Thread.currentThread());
                      slots.release();
                    }
                  });
      jobs.add(t);
      threads.add(t);
      t.start();
    }
    try {
      for (Thread t : threads) t.join();
    } catch (InterruptedException e) {
      stop(threads);
      throw e;
    }
    return null;
  }

  private static void stop(List<Thread> threads) {
    for (Thread t : threads) t.interrupt();
  }

  @Override
  public void close() {
    running = false;
    for (Thread t : pollers) t.interrupt();
    for (Thread t : jobs) t.interrupt();
    try {
      for (Thread t : pollers) t.join(2000);
      for (Thread t : List.copyOf(jobs)) t.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    release();
  }

  /** Makes the messages still held visible again, so the next start takes them at once. */
  private void release() {
    for (ReceivedMessage m : held) {
      try {
        queue.changeVisibility(m.receiptHandle(), Duration.ZERO);
      } catch (RuntimeException e) {
        LOG.log(
            Level.WARNING,
            "could not release message " + m.messageId() + "; it returns after its timeout",
            e);
      }
    }
    held.clear();
  }

  private record Parsed(ReceivedMessage message, AsyncJob job) {}
}
