package io.promptway.patterns.webhook;

import io.promptway.patterns.Platform;
import io.promptway.patterns.common.CallbackNotices;
import io.promptway.runtime.queue.MessageQueue;

/**
 * One deployment of queue + workers: a work queue with its dead-letter queue, the intake that fills
 * it and the workers that drain it. The async pattern has one; the hybrid router has its own for
 * the requests it queues, as a team shipping it would, so one pattern's backlog never delays the
 * other's.
 */
public final class AsyncDeployment implements AutoCloseable {
  private final MessageQueue queue;
  private final MessageQueue deadLetters;
  private final AsyncIntake intake;
  private final AsyncJobHandler handler;
  private final AsyncWorkers workers;

  /**
   * @param queueName the work queue's name (its dead-letter queue is named after it)
   * @param owner the pattern billed for the queue's calls that carry no message
   */
  public AsyncDeployment(Platform platform, String queueName, String owner) {
    this.queue =
        platform
            .queues()
            .withDeadLetterQueue(queueName, owner, platform.config().async().visibilityTimeout());
    this.deadLetters = platform.queues().deadLetterQueueOf(queue);
    platform.metrics().registerQueueDepth(queue.name(), () -> queue.depth().visible());
    platform.metrics().registerQueueDepth(deadLetters.name(), () -> deadLetters.depth().visible());
    this.intake = new AsyncIntake(platform, queue);
    this.handler =
        new AsyncJobHandler(
            platform,
            queue,
            new CallbackNotices(platform.webhooks(), platform.meter(), platform.clock()));
    this.workers = new AsyncWorkers(platform, queue, handler);
  }

  /** Starts the workers once the server (and so the model provider) listens. */
  public void start() {
    workers.start();
  }

  public AsyncIntake intake() {
    return intake;
  }

  public MessageQueue queue() {
    return queue;
  }

  public MessageQueue deadLetters() {
    return deadLetters;
  }

  public int maxAttempts() {
    return handler.maxAttempts();
  }

  @Override
  public void close() {
    workers.close();
  }
}
