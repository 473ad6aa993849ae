package io.promptway.runtime.db;

import java.sql.SQLException;
import java.util.List;

/** Writes a batch of changes inside a transaction that its caller commits. */
public interface BatchWriter<T> {
  void write(Statements statements, List<T> batch) throws SQLException;

  /** Called after the batch is committed, or failed to be. */
  default void committed(List<T> batch) {}
}
