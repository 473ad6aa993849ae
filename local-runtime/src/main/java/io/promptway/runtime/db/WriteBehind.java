package io.promptway.runtime.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Batches inserts of append-only rows (meter records, access rows) into one transaction per drain,
 * on one writer thread, so hot paths never wait for the database. {@link #flush()} blocks until
 * everything enqueued before it is committed; readers call it to see their own writes.
 */
public final class WriteBehind<T> implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(WriteBehind.class.getName());

  /** Binds one row to the insert statement. */
  public interface Binder<T> {
    void bind(PreparedStatement ps, T row) throws SQLException;
  }

  private final Database db;
  private final String insertSql;
  private final Binder<T> binder;
  private final LinkedBlockingQueue<T> queue = new LinkedBlockingQueue<>();
  private final AtomicLong enqueued = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final Object progress = new Object();
  private final Thread writer;
  private volatile boolean running = true;

  public WriteBehind(Database db, String name, String insertSql, Binder<T> binder) {
    this.db = db;
    this.insertSql = insertSql;
    this.binder = binder;
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
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(insertSql)) {
        for (T row : batch) {
          binder.bind(ps, row);
          ps.addBatch();
        }
        ps.executeBatch();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      LOG.log(Level.SEVERE, "could not write " + batch.size() + " rows: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      writer.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
