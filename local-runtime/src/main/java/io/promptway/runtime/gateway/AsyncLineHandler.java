package io.promptway.runtime.gateway;

import io.promptway.runtime.batch.BatchWorker;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * A log handler that prints each record's message as one line, from a writer thread of its own
 * ({@link BatchWorker}): request threads only queue the line, and a busy gateway makes one flushed
 * write per batch of lines instead of one locked, flushed write per request. The queue is bounded;
 * when it is full a caller waits for room, so no line is dropped. {@link #flush()} and {@link
 * #close()} return once every queued line is written (or after 5 s).
 */
final class AsyncLineHandler extends Handler {
  private static final int CAPACITY = 65_536;
  private static final Duration PATIENCE = Duration.ofSeconds(5);

  private final Writer out;
  private final BatchWorker<String> worker;
  private volatile boolean closed;

  AsyncLineHandler(OutputStream stream, String threadName) {
    this.out = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
    setLevel(Level.ALL);
    this.worker =
        new BatchWorker<>(
            threadName,
            CAPACITY,
            this::write,
            e -> reportError("cannot write the log", e, ErrorManager.WRITE_FAILURE));
  }

  @Override
  public void publish(LogRecord record) {
    if (closed || !isLoggable(record)) return;
    try {
      worker.add(record.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reportError("interrupted while queueing a log line", e, ErrorManager.WRITE_FAILURE);
    }
  }

  private void write(List<String> lines) {
    try {
      for (String line : lines) {
        out.write(line);
        out.write(System.lineSeparator());
      }
      out.flush();
    } catch (IOException e) {
      reportError("cannot write the log", e, ErrorManager.WRITE_FAILURE);
    }
  }

  @Override
  public void flush() {
    worker.flush(PATIENCE);
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    worker.close(PATIENCE);
  }
}
