package io.promptway.runtime.queue;

import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.db.GroupCommit;
import io.promptway.runtime.queue.QueueJournal.Kind;
import io.promptway.runtime.queue.QueueJournal.Row;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The live state of one queue, in memory: visible messages in a deque (send order), hidden ones (in
 * flight or delayed) ordered by the simulated time they become visible, and the current receipt
 * handle of each received message. Every change is appended to the {@link QueueJournal} under the
 * queue's lock, so the log holds changes in the order they happened; callers wait for the commit
 * after releasing the lock. Receivers waiting for a message are woken by a send, a release or the
 * next hidden message's visibility time, never by polling.
 */
final class QueueState {
  private final String name;
  private final QueueJournal journal;
  private final SimulatedClock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final Map<String, Msg> byId = new LinkedHashMap<>();
  private final Map<String, Msg> byReceipt = new HashMap<>();
  private final ArrayDeque<Ready> ready = new ArrayDeque<>();
  private final TreeSet<Msg> hidden =
      new TreeSet<>(
          Comparator.comparingLong((Msg m) -> m.visibleAt).thenComparingLong(m -> m.order));
  private long visibleCount;
  private long nextOrder;

  /**
   * Loads the stored messages of {@code name}; any hidden past {@code maxHiddenMs} from now is
   * capped.
   */
  QueueState(String name, QueueJournal journal, SimulatedClock clock, long maxHiddenMs) {
    this.name = name;
    this.journal = journal;
    this.clock = clock;
    long now = nowMs();
    GroupCommit.Pending<QueueJournal.Change> last = null;
    for (Row r : journal.load(name)) {
      Msg m = new Msg(r, nextOrder++);
      if (m.expiresAt <= now) {
        last = journal.append(Kind.DELETE, m.row());
        continue;
      }
      m.visibleAt = Math.min(m.visibleAt, now + maxHiddenMs);
      byId.put(m.id, m);
      if (m.receipt != null) byReceipt.put(m.receipt, m);
      if (m.visibleAt <= now) toReady(m);
      else toHidden(m);
    }
    if (last != null) journal.await(last);
  }

  String name() {
    return name;
  }

  /** Makes a committed message visible and wakes a waiting receiver. */
  void add(Msg m) {
    lock.lock();
    try {
      m.order = nextOrder++;
      byId.put(m.id, m);
      if (m.visibleAt <= nowMs()) toReady(m);
      else toHidden(m);
      arrived.signal();
    } finally {
      lock.unlock();
    }
  }

  /** What one receive call took and what it changed; {@code last} is the change to wait for. */
  record Taken(
      List<ReceivedMessage> messages,
      List<Msg> redriven,
      GroupCommit.Pending<QueueJournal.Change> last) {}

  /**
   * Takes up to {@code max} visible messages, waiting up to {@code waitNanos} (real time) for one;
   * expired messages are dropped and, when {@code maxReceiveCount > 0}, messages received that many
   * times are removed and returned for redrive instead of delivered.
   */
  Taken take(int max, long visibilityMs, long waitNanos, int maxReceiveCount)
      throws InterruptedException {
    long deadline = System.nanoTime() + waitNanos;
    List<ReceivedMessage> out = new ArrayList<>();
    List<Msg> redriven = new ArrayList<>();
    GroupCommit.Pending<QueueJournal.Change> last = null;
    lock.lockInterruptibly();
    try {
      while (true) {
        long now = nowMs();
        promote(now);
        while (out.size() < max) {
          Msg m = pollReady();
          if (m == null) break;
          if (m.expiresAt <= now) {
            remove(m);
            last = journal.append(Kind.DELETE, m.row());
          } else if (maxReceiveCount > 0 && m.receiveCount >= maxReceiveCount) {
            remove(m);
            redriven.add(m);
          } else {
            if (m.receipt != null) byReceipt.remove(m.receipt);
            m.receipt = JdbcMessageQueue.randomId();
            m.receiveCount++;
            if (m.firstReceivedAt == null) m.firstReceivedAt = now;
            m.visibleAt = now + visibilityMs;
            byReceipt.put(m.receipt, m);
            toHidden(m);
            last = journal.append(Kind.UPDATE, m.row());
            out.add(m.received());
          }
        }
        if (!out.isEmpty() || !redriven.isEmpty()) break;
        long left = deadline - System.nanoTime();
        if (left <= 0) break;
        if (!hidden.isEmpty()) {
          long due = clock.toRealNanos(Duration.ofMillis(hidden.first().visibleAt - now)) + 1;
          left = Math.min(left, Math.max(due, TimeUnit.MICROSECONDS.toNanos(100)));
        }
        arrived.awaitNanos(left);
      }
      if (!ready.isEmpty() && visibleCount > 0) arrived.signal();
    } finally {
      lock.unlock();
    }
    return new Taken(out, redriven, last);
  }

  /** Deletes by receipt handle; null when the handle is stale. */
  Removal delete(String receipt) {
    lock.lock();
    try {
      Msg m = byReceipt.get(receipt);
      if (m == null) return null;
      remove(m);
      return new Removal(m.requestId, journal.append(Kind.DELETE, m.row()));
    } finally {
      lock.unlock();
    }
  }

  /** Hides a received message for {@code timeoutMs} from now; null when the handle is stale. */
  Removal changeVisibility(String receipt, long timeoutMs) {
    lock.lock();
    try {
      Msg m = byReceipt.get(receipt);
      if (m == null) return null;
      unlink(m);
      m.visibleAt = nowMs() + timeoutMs;
      if (timeoutMs == 0) toReady(m);
      else toHidden(m);
      // a receiver waiting for the earliest hidden message recomputes its wait: this one may now
      // come back sooner (a failed attempt's backoff is shorter than the visibility timeout)
      arrived.signal();
      return new Removal(m.requestId, journal.append(Kind.UPDATE, m.row()));
    } finally {
      lock.unlock();
    }
  }

  /** The request a receipt's message belongs to, or null when the handle is stale. */
  record Removal(String requestId, GroupCommit.Pending<QueueJournal.Change> change) {}

  /** Visible and hidden counts after dropping expired messages. */
  QueueDepth depth() {
    GroupCommit.Pending<QueueJournal.Change> last;
    QueueDepth d;
    lock.lock();
    try {
      long now = nowMs();
      promote(now);
      last = dropExpired(now);
      d = new QueueDepth(visibleCount, hidden.size());
    } finally {
      lock.unlock();
    }
    if (last != null) journal.await(last);
    return d;
  }

  List<ReceivedMessage> peek(int max) {
    lock.lock();
    try {
      long now = nowMs();
      List<ReceivedMessage> out = new ArrayList<>();
      for (Msg m : byId.values()) {
        if (out.size() == max) break;
        if (m.expiresAt > now) out.add(m.received());
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  private GroupCommit.Pending<QueueJournal.Change> dropExpired(long now) {
    GroupCommit.Pending<QueueJournal.Change> last = null;
    Iterator<Msg> it = byId.values().iterator();
    List<Msg> expired = new ArrayList<>();
    while (it.hasNext()) {
      Msg m = it.next();
      if (m.expiresAt <= now) expired.add(m);
    }
    for (Msg m : expired) {
      remove(m);
      last = journal.append(Kind.DELETE, m.row());
    }
    return last;
  }

  private void promote(long now) {
    while (!hidden.isEmpty() && hidden.first().visibleAt <= now) {
      Msg m = hidden.pollFirst();
      m.hidden = false;
      toReady(m);
    }
  }

  private Msg pollReady() {
    Ready r;
    while ((r = ready.pollFirst()) != null) {
      if (r.msg.readyEpoch == r.epoch && r.msg.inReady) {
        r.msg.inReady = false;
        visibleCount--;
        return r.msg;
      }
    }
    return null;
  }

  private void toReady(Msg m) {
    m.inReady = true;
    m.readyEpoch++;
    visibleCount++;
    ready.addLast(new Ready(m, m.readyEpoch));
  }

  private void toHidden(Msg m) {
    m.hidden = true;
    hidden.add(m);
  }

  /** Takes a message out of the deque or the hidden set (where it is). */
  private void unlink(Msg m) {
    if (m.inReady) {
      m.inReady = false;
      visibleCount--;
    }
    if (m.hidden) {
      hidden.remove(m);
      m.hidden = false;
    }
  }

  private void remove(Msg m) {
    unlink(m);
    byId.remove(m.id);
    if (m.receipt != null) byReceipt.remove(m.receipt);
  }

  private long nowMs() {
    return clock.now().toEpochMilli();
  }

  private record Ready(Msg msg, int epoch) {}

  /** One message; mutable, guarded by its queue's lock. */
  static final class Msg {
    final String id;
    final String body;
    final int bodyBytes;
    final String requestId;
    final long sentAt;
    String queue;
    long expiresAt;
    long visibleAt;
    int receiveCount;
    Long firstReceivedAt;
    String receipt;
    long order;
    int readyEpoch;
    boolean inReady;
    boolean hidden;

    Msg(Row r, long order) {
      this.id = r.id();
      this.queue = r.queue();
      this.body = r.body();
      this.bodyBytes = r.bodyBytes();
      this.requestId = r.requestId();
      this.sentAt = r.sentAt();
      this.visibleAt = r.visibleAt();
      this.receiveCount = r.receiveCount();
      this.firstReceivedAt = r.firstReceivedAt();
      this.receipt = r.receipt();
      this.expiresAt = r.expiresAt();
      this.order = order;
    }

    Row row() {
      return new Row(
          id,
          queue,
          body,
          bodyBytes,
          requestId,
          sentAt,
          visibleAt,
          receiveCount,
          firstReceivedAt,
          receipt,
          expiresAt);
    }

    ReceivedMessage received() {
      return new ReceivedMessage(
          id,
          receipt,
          body,
          requestId,
          receiveCount,
          Instant.ofEpochMilli(sentAt),
          firstReceivedAt == null ? null : Instant.ofEpochMilli(firstReceivedAt));
    }
  }
}
