package io.promptway.runtime.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The one connection of a batching writer, kept open with its statements prepared once (H2 parses a
 * statement on every prepare). Used by one thread at a time; after a failure it rolls back and
 * reopens on the next batch.
 */
final class WriterConnection<T> implements AutoCloseable {
  private final DataSource data; // not the Database: holders may be keyed weakly on it
  private final BatchWriter<T> writer;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private Connection connection;

  WriterConnection(DataSource data, BatchWriter<T> writer) {
    this.data = data;
    this.writer = writer;
  }

  /** Writes {@code batch} in one transaction and commits it. */
  void writeAndCommit(List<T> batch) throws SQLException {
    try {
      if (connection == null) {
        connection = data.getConnection();
        connection.setAutoCommit(false);
      }
      writer.write(this::statement, batch);
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private PreparedStatement statement(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      statements.put(sql, ps);
    }
    return ps;
  }

  /** Rolls back whatever is uncommitted and closes the connection. */
  @Override
  public void close() {
    statements.clear();
    if (connection == null) return;
    try {
      connection.rollback();
      connection.close();
    } catch (SQLException e) {
      // a broken connection: the next batch opens a fresh one
    }
    connection = null;
  }
}
