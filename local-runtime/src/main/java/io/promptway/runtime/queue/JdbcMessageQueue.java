package io.promptway.runtime.queue;

import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.db.Database;
import io.promptway.runtime.db.GroupCommit;
import io.promptway.runtime.db.SortableIds;
import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.metering.Meter;
import io.promptway.runtime.queue.QueueJournal.Kind;
import io.promptway.runtime.queue.QueueJournal.Row;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * An SQS standard queue whose live state is in memory and whose messages are durable on the
 * runtime's database, so they survive a restart. A send returns once its row is committed (by group
 * commit with concurrent calls, see {@link QueueJournal}); receives, deletes and visibility changes
 * are committed the same way before they return. Receiving hides a message for the visibility
 * timeout under a fresh receipt handle; a message received {@code maxReceiveCount} times moves to
 * the dead-letter queue on its next receive; messages older than the retention period are dropped.
 * Billing follows SQS: one request per API call per 64 KB chunk of payload, empty receives
 * included; a batch receive's bill is shared among the requests whose messages it returned.
 *
 * <p>Queues opened on one database under one name share their state. Not modelled: FIFO queues,
 * message attributes, delay queues, batch send/delete calls, the in-flight limit, and the
 * occasional duplicate or out-of-order delivery of a real standard queue. Times are simulated;
 * because a restarted runtime's clock may be behind a previous run that went faster than real time,
 * messages hidden for longer than the visibility timeout when the queue opens become visible after
 * one timeout instead.
 */
public final class JdbcMessageQueue implements MessageQueue {
  public static final int CHUNK_BYTES = 64 * 1024;

  private final QueueJournal journal;
  private final QueueState state;
  private final SimulatedClock clock;
  private final Meter meter;
  private final QueueSettings settings;

  public JdbcMessageQueue(Database db, SimulatedClock clock, Meter meter, QueueSettings settings) {
    this.journal = QueueJournal.of(db);
    this.clock = clock;
    this.meter = meter;
    this.settings = settings;
    this.state = stateOf(settings);
  }

  private QueueState stateOf(QueueSettings s) {
    return journal.state(
        s.name(), name -> new QueueState(name, journal, clock, s.visibilityTimeout().toMillis()));
  }

  @Override
  public String name() {
    return settings.name();
  }

  @Override
  public QueueSettings settings() {
    return settings;
  }

  @Override
  public String send(String body, String requestId) {
    int bytes = body.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > settings.maxMessageBytes()) {
      throw new IllegalArgumentException(
          "message of "
              + bytes
              + " bytes exceeds the queue's maximum of "
              + settings.maxMessageBytes());
    }
    long now = nowMs();
    Row row =
        new Row(
            randomId(),
            settings.name(),
            body,
            bytes,
            requestId,
            now,
            now,
            0,
            null,
            null,
            now + settings.retention().toMillis());
    journal.commit(Kind.INSERT, row);
    state.add(new QueueState.Msg(row, 0));
    bill(requestId, chunks(bytes));
    return row.id();
  }

  @Override
  public List<ReceivedMessage> receive(int max) {
    return receive(max, settings.visibilityTimeout(), settings.receiveWait());
  }

  @Override
  public List<ReceivedMessage> receive(int max, Duration visibilityTimeout, Duration wait) {
    if (max < 1 || max > QueueSettings.MAX_BATCH) {
      throw new IllegalArgumentException("receive between 1 and 10 messages, not " + max);
    }
    QueueState.Taken taken;
    try {
      taken =
          state.take(
              max,
              visibilityTimeout.toMillis(),
              clock.toRealNanos(wait),
              settings.deadLetterQueue() != null ? settings.maxReceiveCount() : 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      taken = new QueueState.Taken(List.of(), List.of(), null);
    }
    if (!taken.redriven().isEmpty()) redrive(taken.redriven());
    if (taken.last() != null) journal.await(taken.last());
    billReceive(taken.messages());
    return taken.messages();
  }

  private void redrive(List<QueueState.Msg> messages) {
    QueueSettings dlq = settings.deadLetterSettings();
    QueueState target = stateOf(dlq);
    long now = nowMs();
    GroupCommit.Pending<QueueJournal.Change> last = null;
    for (QueueState.Msg m : messages) {
      m.queue = dlq.name();
      m.receipt = null;
      m.visibleAt = now;
      m.expiresAt = m.sentAt + dlq.retention().toMillis();
      last = journal.append(Kind.UPDATE, m.row());
    }
    journal.await(last);
    for (QueueState.Msg m : messages) target.add(m);
  }

  @Override
  public boolean delete(String receiptHandle) {
    QueueState.Removal r = state.delete(receiptHandle);
    if (r != null) journal.await(r.change());
    bill(r == null ? null : r.requestId(), 1);
    return r != null;
  }

  @Override
  public boolean changeVisibility(String receiptHandle, Duration timeout) {
    if (timeout.isNegative() || timeout.compareTo(QueueSettings.MAX_VISIBILITY) > 0) {
      throw new IllegalArgumentException("visibility timeout must be between 0 and 12h");
    }
    QueueState.Removal r = state.changeVisibility(receiptHandle, timeout.toMillis());
    if (r != null) journal.await(r.change());
    bill(r == null ? null : r.requestId(), 1);
    return r != null;
  }

  @Override
  public QueueDepth depth() {
    return state.depth();
  }

  @Override
  public List<ReceivedMessage> peek(int max) {
    return state.peek(max);
  }

  private void billReceive(List<ReceivedMessage> got) {
    if (got.isEmpty()) {
      bill(null, 1);
      return;
    }
    long bytes = 0;
    for (ReceivedMessage m : got) bytes += m.body().getBytes(StandardCharsets.UTF_8).length;
    double share = (double) chunks(bytes) / got.size();
    for (ReceivedMessage m : got) bill(m.requestId(), share);
  }

  private void bill(String requestId, double requests) {
    String billed = requestId != null ? requestId : Meter.queueBill(settings.name());
    meter.record(billed, settings.owner(), BillableUnit.QUEUE_REQUEST, requests);
  }

  public static long chunks(long bytes) {
    return Math.max(1, (bytes + CHUNK_BYTES - 1) / CHUNK_BYTES);
  }

  /** Message ids and receipt handles: time-ordered, so their indexes stay cheap to write. */
  static String randomId() {
    return SortableIds.uuid();
  }

  private long nowMs() {
    return clock.now().toEpochMilli();
  }
}
