package io.promptway.runtime.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Batches writes (meter records, access rows, request-state changes) into one transaction per
 * drain, on one writer thread, so hot paths never wait for the database. Rows are written in the
 * order they were added. {@link #flush()} blocks until everything enqueued before it is committed;
 * readers call it to see their own writes. A crash loses at most the batch not yet committed;
 * {@link #close()} writes everything first.
 */
public final class WriteBehind<T> implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(WriteBehind.class.getName());

  /** Binds one row to the insert statement. */
  public interface Binder<T> {
    void bind(PreparedStatement ps, T row) throws SQLException;
  }

  private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  private static final int LINGER_BELOW = 512;

  private final BatchWriter<T> batchWriter;
  private final LinkedBlockingQueue<T> queue = new LinkedBlockingQueue<>();
  private final AtomicLong enqueued = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final Object progress = new Object();
  private final Thread writer;
  private final WriterConnection<T> connection;
  private volatile boolean running = true;

  public WriteBehind(Database db, String name, String insertSql, Binder<T> binder) {
    this(db, name, (statements, batch) -> insertAll(statements.get(insertSql), binder, batch));
  }

  public WriteBehind(Database db, String name, BatchWriter<T> batchWriter) {
    this.batchWriter = batchWriter;
    this.connection = new WriterConnection<>(db.dataSource(), batchWriter);
    this.writer = Thread.ofPlatform().daemon().name("write-behind-" + name).start(this::run);
  }

  public void add(T row) {
    enqueued.incrementAndGet();
    queue.add(row);
  }

  /** Waits until every row added before this call is committed (or the writer has stopped). */
  public void flush() {
    long target = enqueued.get();
    synchronized (progress) {
      while (written.get() < target && writer.isAlive()) {
        try {
          progress.wait(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void run() {
    List<T> batch = new ArrayList<>(1024);
    while (running || !queue.isEmpty()) {
      try {
        T first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) continue;
        batch.add(first);
        // Under load, waiting a moment gathers a bigger batch: a commit and a round of statement
        // executions per batch cost more than the rows themselves.
        if (running && queue.size() < LINGER_BELOW) LockSupport.parkNanos(LINGER_NANOS);
        queue.drainTo(batch, 4095);
        write(batch);
      } catch (InterruptedException e) {
        if (!running) break;
      } finally {
        if (!batch.isEmpty()) {
          written.addAndGet(batch.size());
          batch.clear();
          synchronized (progress) {
            progress.notifyAll();
          }
        }
      }
    }
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

  private static <T> void insertAll(PreparedStatement ps, Binder<T> binder, List<T> batch)
      throws SQLException {
    for (T row : batch) {
      binder.bind(ps, row);
      ps.addBatch();
    }
    ps.executeBatch();
  }

  @Override
  public void close() {
    running = false;
    try {
      writer.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!writer.isAlive()) connection.close();
  }
}
