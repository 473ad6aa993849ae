package io.promptway.runtime.queue;

import io.promptway.runtime.config.RuntimeConfig;
import java.time.Duration;

/**
 * The attributes of one queue, as set at creation.
 *
 * @param owner the pattern billed for calls that carry no message (empty receives)
 * @param deadLetterQueue the queue messages move to after {@code maxReceiveCount} receives, or null
 * @param receiveWait how long an empty receive waits for a message (long polling)
 */
public record QueueSettings(
    String name,
    String owner,
    Duration visibilityTimeout,
    int maxReceiveCount,
    Duration retention,
    int maxMessageBytes,
    Duration receiveWait,
    String deadLetterQueue) {

  public static final int MAX_BATCH = 10;
  public static final Duration MAX_VISIBILITY = Duration.ofHours(12);

  public QueueSettings {
    if (name == null || !name.matches("[A-Za-z0-9_-]{1,80}")) {
      throw new IllegalArgumentException("queue name must be 1-80 letters, digits, '-' or '_'");
    }
    if (visibilityTimeout.isNegative() || visibilityTimeout.compareTo(MAX_VISIBILITY) > 0) {
      throw new IllegalArgumentException("visibility timeout must be between 0 and 12h");
    }
    if (maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new IllegalArgumentException("maxReceiveCount must be between 1 and 1000");
    }
    if (retention.compareTo(Duration.ofSeconds(60)) < 0
        || retention.compareTo(Duration.ofDays(14)) > 0) {
      throw new IllegalArgumentException("retention must be between 60s and 14d");
    }
    if (receiveWait.isNegative() || receiveWait.compareTo(Duration.ofSeconds(20)) > 0) {
      throw new IllegalArgumentException("receive wait must be between 0 and 20s");
    }
  }

  /** A queue with the runtime's configured defaults. */
  public static QueueSettings of(
      String name, String owner, RuntimeConfig.Queue q, String deadLetterQueue) {
    return new QueueSettings(
        name,
        owner,
        q.visibilityTimeout(),
        q.maxReceiveCount(),
        q.retention(),
        q.maxMessageBytes(),
        q.receiveWait(),
        deadLetterQueue);
  }

  /** The settings of this queue's dead-letter queue (no redrive of its own, 14 days retention). */
  public QueueSettings deadLetterSettings() {
    return new QueueSettings(
        deadLetterQueue,
        owner,
        visibilityTimeout,
        1000,
        Duration.ofDays(14),
        maxMessageBytes,
        Duration.ZERO,
        null);
  }

  public QueueSettings withVisibilityTimeout(Duration d) {
    return new QueueSettings(
        name, owner, d, maxReceiveCount, retention, maxMessageBytes, receiveWait, deadLetterQueue);
  }

  public QueueSettings withMaxReceiveCount(int n) {
    return new QueueSettings(
        name,
        owner,
        visibilityTimeout,
        n,
        retention,
        maxMessageBytes,
        receiveWait,
        deadLetterQueue);
  }

  public QueueSettings withReceiveWait(Duration d) {
    return new QueueSettings(
        name,
        owner,
        visibilityTimeout,
        maxReceiveCount,
        retention,
        maxMessageBytes,
        d,
        deadLetterQueue);
  }

  public QueueSettings withRetention(Duration d) {
    return new QueueSettings(
        name,
        owner,
        visibilityTimeout,
        maxReceiveCount,
        d,
        maxMessageBytes,
        receiveWait,
        deadLetterQueue);
  }
}
