package io.promptway.runtime.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * A log handler that prints each record's message as one line, from a writer thread of its own:
 * request threads only queue the line, and the writer writes and flushes what has queued, then lets
 * a small batch grow for 2 ms, so a busy gateway makes one write per batch of lines instead of one
 * locked, flushed write per request. The queue is bounded; when it is full a caller waits for room,
 * so no line is dropped. {@link #flush()} and {@link #close()} return once every queued line is
 * written.
 */
final class AsyncLineHandler extends Handler {
  private static final int CAPACITY = 65_536;
  // After a small batch the writer waits this long for more lines: at a few thousand requests a
  // second it would otherwise wake, write and flush for every line or two.
  private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  private static final int LINGER_BELOW = 256;
  private static final String STOP = new String("stop");

  private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(CAPACITY);
  private final Writer out;
  private final Thread writer;
  private final Object drained = new Object();
  private final AtomicLong queued = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private volatile boolean closed;

  AsyncLineHandler(OutputStream stream, String threadName) {
    this.out = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
    setLevel(Level.ALL);
    this.writer = Thread.ofPlatform().daemon().name(threadName).start(this::drain);
  }

  @Override
  public void publish(LogRecord record) {
    if (closed || !isLoggable(record)) return;
    queued.incrementAndGet();
    try {
      lines.put(record.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reportError("interrupted while queueing a log line", e, ErrorManager.WRITE_FAILURE);
    }
  }

  private void drain() {
    List<String> batch = new ArrayList<>(1024);
    try {
      while (true) {
        String first = lines.take();
        batch.add(first);
        lines.drainTo(batch, 4096);
        boolean stop = false;
        for (String line : batch) {
          if (line == STOP) {
            stop = true;
            continue;
          }
          write(line);
        }
        try {
          out.flush();
        } catch (IOException e) {
          reportError("cannot flush the log", e, ErrorManager.FLUSH_FAILURE);
        }
        written.addAndGet(batch.size() - (stop ? 1 : 0));
        synchronized (drained) {
          drained.notifyAll();
        }
        if (stop) return;
        if (batch.size() < LINGER_BELOW) LockSupport.parkNanos(LINGER_NANOS);
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void write(String line) {
    try {
      out.write(line);
      out.write(System.lineSeparator());
    } catch (IOException e) {
      reportError("cannot write a log line", e, ErrorManager.WRITE_FAILURE);
    }
  }

  /** Waits (at most 5 s) until every line queued before this call is written and flushed. */
  @Override
  public void flush() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    long target = queued.get();
    synchronized (drained) {
      while (written.get() < target && writer.isAlive()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return;
        try {
          TimeUnit.NANOSECONDS.timedWait(drained, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    if (closed) return;
    flush();
    closed = true;
    if (lines.offer(STOP)) {
      try {
        writer.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
