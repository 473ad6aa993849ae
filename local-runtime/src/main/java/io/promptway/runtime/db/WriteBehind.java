package io.promptway.runtime.db;

import io.promptway.runtime.batch.BatchWorker;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Batches writes (meter records, access rows, request-state changes) into one transaction per
 * drain, on one writer thread, so hot paths never wait for the database. Rows are written in the
 * order they were added. {@link #flush()} blocks until everything enqueued before it is committed;
 * readers call it to see their own writes, and it cuts a gathering batch short. A crash loses at
 * most the batch gathering or not yet committed; {@link #close()} writes everything first.
 */
public final class WriteBehind<T> implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(WriteBehind.class.getName());

  private final BatchWriter<T> batchWriter;
  private final WriterConnection<T> connection;
  private final BatchWorker<T> worker;

  /** A writer whose batches gather briefly ({@link BatchWorker.Gathering#SHORT}). */
  public WriteBehind(Database db, String name, BatchWriter<T> batchWriter) {
    this(db, name, BatchWorker.Gathering.SHORT, batchWriter);
  }

  /**
   * @param gather how long a batch gathers rows after its first, whatever is queued: longer batches
   *     let a writer merge more of one request's rows, and a crash loses more of them
   */
  public WriteBehind(Database db, String name, Duration gather, BatchWriter<T> batchWriter) {
    this(db, name, BatchWorker.Gathering.of(gather), batchWriter);
  }

  private WriteBehind(
      Database db, String name, BatchWorker.Gathering gathering, BatchWriter<T> batchWriter) {
    this.batchWriter = batchWriter;
    this.connection = new WriterConnection<>(db.dataSource(), batchWriter);
    this.worker =
        new BatchWorker<>(
            "write-behind-" + name,
            Integer.MAX_VALUE,
            gathering,
            this::write,
            e -> LOG.log(Level.SEVERE, "write-behind " + name + ": " + e.getMessage(), e));
  }

  public void add(T row) {
    try {
      worker.add(row);
    } catch (InterruptedException e) {
      // unbounded: add never waits for room, so this cannot happen
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while queueing a row", e);
    }
  }

  /** Waits until every row added before this call is committed (or the writer has stopped). */
  public void flush() {
    worker.flush();
  }

  private void write(List<T> batch) {
    try {
      connection.writeAndCommit(batch);
    } catch (SQLException | RuntimeException e) {
      LOG.log(Level.SEVERE, "could not write " + batch.size() + " rows: " + e.getMessage(), e);
    }
    try {
      batchWriter.committed(batch);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "after writing " + batch.size() + " rows: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (worker.close(Duration.ofSeconds(10))) connection.close();
  }
}
