package io.promptway.runtime.webhook;

import io.promptway.runtime.db.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs small writes from concurrent callers in shared transactions: a caller that finds no
 * transaction in progress runs every pending write in one and commits, while the others wait for
 * theirs; each call returns once its write committed (or throws if that transaction failed).
 */
final class GroupCommit {
  /** One write on the shared connection; returns a result for its caller (e.g. a row count). */
  interface Write {
    int apply(Connection c) throws SQLException;
  }

  private static final class Pending {
    final Write write;
    boolean done;
    int result;
    RuntimeException failure;

    Pending(Write write) {
      this.write = write;
    }
  }

  private final Database db;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition committed = lock.newCondition();
  private List<Pending> pending = new ArrayList<>();
  private boolean writing;

  GroupCommit(Database db) {
    this.db = db;
  }

  int run(Write write) {
    Pending p = new Pending(write);
    lock.lock();
    try {
      pending.add(p);
      while (!p.done) {
        if (writing) {
          committed.awaitUninterruptibly();
          continue;
        }
        writing = true;
        List<Pending> batch = pending;
        pending = new ArrayList<>();
        lock.unlock();
        RuntimeException failure = null;
        try {
          commit(batch);
        } catch (RuntimeException e) {
          failure = e;
        } finally {
          lock.lock();
          writing = false;
          for (Pending b : batch) {
            b.failure = failure;
            b.done = true;
          }
          committed.signalAll();
        }
      }
      if (p.failure != null) throw p.failure;
      return p.result;
    } finally {
      lock.unlock();
    }
  }

  private void commit(List<Pending> batch) {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        for (Pending p : batch) p.result = p.write.apply(c);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new Database.DatabaseException("cannot write webhook state: " + e.getMessage(), e);
    }
  }
}
