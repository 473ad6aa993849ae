package io.promptway.runtime.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/** The prepared statements of a writer's own connection, each prepared once and reused. */
public interface Statements {
  PreparedStatement get(String sql) throws SQLException;
}
