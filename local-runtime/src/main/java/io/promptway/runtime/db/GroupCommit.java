package io.promptway.runtime.db;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Durable writes from concurrent callers in shared transactions: a caller that finds no write in
 * progress writes everything pending in one transaction and commits it while the others wait for
 * theirs. A call returns only once its change is committed, and throws if that transaction failed.
 * Where {@link WriteBehind} lets callers go on at once, this is for changes that must be durable
 * before they are acknowledged (a queue's send, a webhook accepted for delivery).
 */
public final class GroupCommit<T> {
  /** A change appended to the next batch; {@link #await} waits for it. */
  public static final class Pending<T> {
    private final T change;
    private boolean done;
    private RuntimeException failure;

    private Pending(T change) {
      this.change = change;
    }
  }

  private final String what;
  private final WriterConnection<T> connection;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition written = lock.newCondition();
  private List<Pending<T>> pending = new ArrayList<>();
  private boolean writing;

  /**
   * @param what what is written, for error messages (e.g. "queue messages")
   */
  public GroupCommit(Database db, String what, BatchWriter<T> writer) {
    this.what = what;
    this.connection = new WriterConnection<>(db.dataSource(), writer);
  }

  /** Adds a change to the next batch without waiting for it. */
  public Pending<T> append(T change) {
    Pending<T> p = new Pending<>(change);
    lock.lock();
    try {
      pending.add(p);
    } finally {
      lock.unlock();
    }
    return p;
  }

  /** Appends {@code change} and waits until it is committed. */
  public void commit(T change) {
    await(append(change));
  }

  /**
   * Waits until {@code p} (and so everything appended before it) is committed, writing the pending
   * batch itself when no other caller is.
   */
  public void await(Pending<T> p) {
    lock.lock();
    try {
      while (!p.done) {
        if (writing) {
          written.awaitUninterruptibly();
          continue;
        }
        writing = true;
        List<Pending<T>> batch = pending;
        pending = new ArrayList<>();
        lock.unlock();
        RuntimeException failure = null;
        try {
          write(batch);
        } catch (RuntimeException e) {
          failure = e;
        } finally {
          lock.lock();
          writing = false;
          for (Pending<T> b : batch) {
            b.failure = failure;
            b.done = true;
          }
          written.signalAll();
        }
      }
      if (p.failure != null) throw p.failure;
    } finally {
      lock.unlock();
    }
  }

  private void write(List<Pending<T>> batch) {
    if (batch.isEmpty()) return;
    List<T> changes = new ArrayList<>(batch.size());
    for (Pending<T> p : batch) changes.add(p.change);
    try {
      connection.writeAndCommit(changes);
    } catch (SQLException e) {
      throw new Database.DatabaseException("cannot write " + what + ": " + e.getMessage(), e);
    }
  }
}
