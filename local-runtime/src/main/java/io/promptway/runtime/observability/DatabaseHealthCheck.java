package io.promptway.runtime.observability;

import io.promptway.runtime.db.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/** Readiness of the state database (H2): one {@code SELECT 1} round trip with a short timeout. */
public final class DatabaseHealthCheck implements HealthCheck {
  private final Database db;

  public DatabaseHealthCheck(Database db) {
    this.db = db;
  }

  @Override
  public String name() {
    return "h2";
  }

  @Override
  public Result check() {
    try (Connection c = db.connection();
        Statement s = c.createStatement()) {
      s.setQueryTimeout(2);
      try (ResultSet rs = s.executeQuery("SELECT 1")) {
        return rs.next()
            ? Result.up(
                c.getMetaData().getDatabaseProductName()
                    + " "
                    + c.getMetaData().getDatabaseProductVersion())
            : Result.down("SELECT 1 returned no row");
      }
    } catch (Exception e) {
      return Result.down(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }
}
