package io.promptway.patterns.sse;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The append-only event log of one streamed generation. The generator appends; any number of
 * subscribers read from an id and then follow live, so a client that reconnects with {@code
 * Last-Event-ID} gets every later event exactly once whether the generation is still running or has
 * finished. The generation never waits for a reader.
 */
public final class EventLog {
  private final String requestId;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition appended = lock.newCondition();
  // A token event is kept as its text alone (rendered on read) and its emit time in a parallel
  // array: a long stream's log then costs a reference and a double per token, not an event and its
  // JSON. Every other event is kept whole.
  private final List<Object> events = new ArrayList<>();
  private double[] tokenAtMs = new double[64];
  private boolean finished;
  private long finishedAtNanos;

  public EventLog(String requestId) {
    this.requestId = requestId;
  }

  public String requestId() {
    return requestId;
  }

  /** Appends a non-terminal event and wakes the readers. */
  public StreamEvent append(String type, String data) {
    return add(type, data, false, 0);
  }

  /**
   * Appends a {@code token} event whose data is {@code {"seq":id,"text":text,"at_ms":atMs}} and
   * wakes the readers; returns the event's id.
   */
  public long appendToken(String text, double atMs) {
    lock.lock();
    try {
      if (finished)
        throw new IllegalStateException("stream " + requestId + " has already finished");
      if (events.size() == tokenAtMs.length)
        tokenAtMs = Arrays.copyOf(tokenAtMs, tokenAtMs.length * 2);
      tokenAtMs[events.size()] = atMs;
      events.add(text);
      appended.signalAll();
      return events.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The data of token event {@code id}: {@code {"seq":id,"text":"...","at_ms":atMs}}, {@code at_ms}
   * being when the model emitted it ({@link io.promptway.patterns.common.EmitTime}).
   */
  public static String tokenData(long id, String text, double atMs) {
    char[] quoted = JsonStringEncoder.getInstance().quoteAsString(text);
    return new StringBuilder(quoted.length + 48)
        .append("{\"seq\":")
        .append(id)
        .append(",\"text\":\"")
        .append(quoted)
        .append("\",\"at_ms\":")
        .append(atMs)
        .append('}')
        .toString();
  }

  private StreamEvent event(int index) {
    Object o = events.get(index);
    if (o instanceof StreamEvent e) return e;
    long id = index + 1L;
    return new StreamEvent(
        id, StreamEvent.TOKEN, tokenData(id, (String) o, tokenAtMs[index]), false);
  }

  /**
   * Appends the terminal event; {@code atNanos} (simulated) starts the retention window. Nothing
   * can be appended after it.
   */
  public StreamEvent finish(String type, String data, long atNanos) {
    return add(type, data, true, atNanos);
  }

  private StreamEvent add(String type, String data, boolean terminal, long atNanos) {
    lock.lock();
    try {
      if (finished)
        throw new IllegalStateException("stream " + requestId + " has already finished");
      StreamEvent e = new StreamEvent(events.size() + 1L, type, data, terminal);
      events.add(e);
      if (terminal) {
        finished = true;
        finishedAtNanos = atNanos;
      }
      appended.signalAll();
      return e;
    } finally {
      lock.unlock();
    }
  }

  /** The id of the newest event, 0 when there is none yet. */
  public long lastId() {
    lock.lock();
    try {
      return events.size();
    } finally {
      lock.unlock();
    }
  }

  public boolean finished() {
    lock.lock();
    try {
      return finished;
    } finally {
      lock.unlock();
    }
  }

  /** True when the stream finished at or before {@code nanos - retention} (simulated). */
  public boolean expired(long nanos, long retentionNanos) {
    lock.lock();
    try {
      return finished && nanos - finishedAtNanos > retentionNanos;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The events after {@code afterId}, waiting up to {@code realTimeout} for the first one when
   * there are none yet. An empty result means the wait timed out (or the stream ended with nothing
   * after {@code afterId}: see {@link Batch#finished()}).
   */
  public Batch after(long afterId, Duration realTimeout) throws InterruptedException {
    if (afterId < 0) throw new IllegalArgumentException("afterId must not be negative");
    long remaining = realTimeout.toNanos();
    lock.lock();
    try {
      while (events.size() <= afterId && !finished && remaining > 0) {
        remaining = appended.awaitNanos(remaining);
      }
      int from = (int) Math.min(afterId, events.size());
      List<StreamEvent> batch = new ArrayList<>(events.size() - from);
      for (int i = from; i < events.size(); i++) batch.add(event(i));
      return new Batch(batch, finished);
    } finally {
      lock.unlock();
    }
  }

  /** A read from the log; {@code finished} tells whether the terminal event exists. */
  public record Batch(List<StreamEvent> events, boolean finished) {
    public boolean endsStream() {
      return !events.isEmpty() && events.getLast().terminal();
    }
  }
}
