package io.promptway.runtime.webhook;

import io.promptway.runtime.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs small writes from concurrent callers in shared transactions: a caller that finds no
 * transaction in progress runs every pending write in one and commits, while the others wait for
 * theirs; each call returns once its write committed (or throws if that transaction failed). The
 * writer keeps one connection and its prepared statements (the runtime's H2 URL keeps the database
 * open until the JVM exits in any case).
 */
final class GroupCommit {
  /** One write; returns a result for its caller (e.g. a row count). */
  interface Write {
    int apply(Statements s) throws SQLException;
  }

  /** Statements of the writer's connection, each prepared once; not to be closed by writes. */
  interface Statements {
    PreparedStatement prepare(String sql) throws SQLException;
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
  // used by the one caller writing at a time; kept open so statements are parsed once
  private Connection conn;
  private final Map<String, PreparedStatement> prepared = new HashMap<>();

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
    try {
      if (conn == null || conn.isClosed()) {
        prepared.clear();
        conn = db.connection();
        conn.setAutoCommit(false);
      }
      Statements statements =
          sql -> {
            PreparedStatement ps = prepared.get(sql);
            if (ps == null) {
              ps = conn.prepareStatement(sql);
              prepared.put(sql, ps);
            }
            return ps;
          };
      try {
        for (Pending p : batch) p.result = p.write.apply(statements);
        conn.commit();
      } catch (SQLException | RuntimeException e) {
        conn.rollback();
        throw e;
      }
    } catch (SQLException e) {
      try {
        if (conn != null) conn.close();
      } catch (SQLException ignored) {
        // already broken
      }
      conn = null;
      throw new Database.DatabaseException("cannot write webhook state: " + e.getMessage(), e);
    }
  }
}
