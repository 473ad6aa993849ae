package io.promptway.cli.chat;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Closes a stream that stays silent past a limit, so that a reader blocked on it wakes with an
 * {@link IOException} rather than waiting for ever on a runtime that has stopped sending.
 */
final class SilenceWatch implements AutoCloseable {
  private final InputStream in;
  private final long limitNanos;
  private final Thread watcher;
  private volatile long lastHeard = System.nanoTime();
  private volatile boolean expired;
  private volatile boolean closed;

  SilenceWatch(InputStream in, Duration limit) {
    this.in = in;
    this.limitNanos = limit.toNanos();
    this.watcher = Thread.ofVirtual().name("chat-silence-watch").start(this::watch);
  }

  /** The stream to read: every read that returns data counts as hearing from the runtime. */
  InputStream stream() {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        lastHeard = System.nanoTime();
        return b;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        lastHeard = System.nanoTime();
        return n;
      }
    };
  }

  /** Whether the stream was closed for its silence. */
  boolean expired() {
    return expired;
  }

  private void watch() {
    while (!closed) {
      long left = lastHeard + limitNanos - System.nanoTime();
      if (left <= 0) {
        expired = true;
        try {
          in.close();
        } catch (IOException ignored) {
          // closing is all that was wanted
        }
        return;
      }
      LockSupport.parkNanos(left);
    }
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(watcher);
  }
}
