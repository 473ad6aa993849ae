package io.promptway.runtime.queue;

import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.config.RuntimeConfig;
import io.promptway.runtime.db.Database;
import io.promptway.runtime.metering.Meter;
import java.time.Duration;

/** Creates queues on the runtime's database with the configured platform defaults. */
public final class MessageQueues {
  private final Database db;
  private final SimulatedClock clock;
  private final Meter meter;
  private final RuntimeConfig.Queue defaults;

  public MessageQueues(
      Database db, SimulatedClock clock, Meter meter, RuntimeConfig.Queue defaults) {
    this.db = db;
    this.clock = clock;
    this.meter = meter;
    this.defaults = defaults;
  }

  /** A queue whose messages go to {@code name + "-dlq"} after the configured receive count. */
  public MessageQueue withDeadLetterQueue(String name, String owner) {
    return open(QueueSettings.of(name, owner, defaults, name + "-dlq"));
  }

  /**
   * As {@link #withDeadLetterQueue(String, String)}, with the consumer's own visibility timeout.
   */
  public MessageQueue withDeadLetterQueue(String name, String owner, Duration visibilityTimeout) {
    return open(
        QueueSettings.of(name, owner, defaults, name + "-dlq")
            .withVisibilityTimeout(visibilityTimeout));
  }

  /** The dead-letter queue of {@code source}. */
  public MessageQueue deadLetterQueueOf(MessageQueue source) {
    return open(source.settings().deadLetterSettings());
  }

  /** A queue without redrive (e.g. a bus's dead-letter destination). */
  public MessageQueue plain(String name, String owner) {
    return open(QueueSettings.of(name, owner, defaults, null));
  }

  public MessageQueue open(QueueSettings settings) {
    return new JdbcMessageQueue(db, clock, meter, settings);
  }
}
