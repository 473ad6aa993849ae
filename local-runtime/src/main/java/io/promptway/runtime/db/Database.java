package io.promptway.runtime.db;

import io.promptway.runtime.config.FileProblems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The runtime's JDBC database (H2 by default). Each service owns its tables and brings its own
 * numbered migrations, applied once at start-up and recorded per component in {@code
 * schema_versions}, so the schema is versioned and created by the runtime itself.
 */
public final class Database implements AutoCloseable {
  static {
    applyEngineSettings();
  }

  /**
   * Sets the system properties H2 reads once, when its engine loads; call before anything else
   * touches H2 (a -D on the command line wins). H2 looks every value it is given up in a shared
   * cache of equal values, to save memory when reading; here nearly every value bound is new (ids,
   * timestamps, packed rows), and the look-ups were 1 % of a sync request's CPU.
   */
  public static void applyEngineSettings() {
    if (System.getProperty("h2.objectCache") == null) System.setProperty("h2.objectCache", "false");
  }

  private final JdbcConnectionPool pool;
  private final String url;
  private final boolean embeddedFile;

  public Database(String jdbcUrl) {
    this.url = jdbcUrl;
    this.embeddedFile = isEmbeddedFile(jdbcUrl);
    prepareFolder(jdbcUrl);
    this.pool = JdbcConnectionPool.create(closedByTheRuntime(jdbcUrl), "sa", "");
    this.pool.setMaxConnections(64);
    try (Connection c = connection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS schema_versions ("
              + "component VARCHAR(64) PRIMARY KEY, version INT NOT NULL, applied_at TIMESTAMP WITH TIME ZONE NOT NULL)");
    } catch (SQLException e) {
      pool.dispose();
      if (e.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1) {
        throw new DatabaseException(
            "the state database at "
                + jdbcUrl
                + " is in use by another process (another promptway serve or run?); stop it, or"
                + " use another path (serve --db, run --out)",
            e);
      }
      throw new DatabaseException(
          "cannot open the state database at " + jdbcUrl + ": " + e.getMessage(), e);
    }
  }

  /**
   * Creates the folder of an H2 file database, or fails naming it: left to H2, a folder that cannot
   * be made also fails its trace file, which prints stack traces to stderr.
   */
  private static void prepareFolder(String jdbcUrl) {
    String prefix = "jdbc:h2:file:";
    if (!jdbcUrl.startsWith(prefix)) return;
    String path = jdbcUrl.substring(prefix.length());
    int options = path.indexOf(';');
    if (options >= 0) path = path.substring(0, options);
    if (path.startsWith("~")) path = System.getProperty("user.home") + path.substring(1);
    Path folder = Path.of(path).toAbsolutePath().getParent();
    if (folder == null) return;
    try {
      Files.createDirectories(folder);
    } catch (IOException | RuntimeException e) {
      String why =
          e instanceof IOException io ? FileProblems.reason(io) : e.getClass().getSimpleName();
      throw new DatabaseException(
          "cannot make the state database's folder " + folder + " (" + why + ")", e);
    }
    if (!Files.isWritable(folder)) {
      throw new DatabaseException(
          "cannot write the state database's folder " + folder + " (permission denied)", null);
    }
  }

  public String url() {
    return url;
  }

  public DataSource dataSource() {
    return pool;
  }

  public Connection connection() throws SQLException {
    return pool.getConnection();
  }

  /**
   * Applies the migrations of {@code component} that are newer than its recorded version; migration
   * N (1-based) is {@code migrations.get(N - 1)}, a list of statements run in one transaction.
   */
  public void migrate(String component, List<List<String>> migrations) {
    migrate(component, migrations, null);
  }

  /**
   * As {@link #migrate(String, List)}, but a database without {@code component} gets {@code fresh}
   * instead of every migration in turn: the schema the migrations end in, created at once (start-up
   * pays for a few statements instead of tables made and dropped again).
   */
  public synchronized void migrate(
      String component, List<List<String>> migrations, List<String> fresh) {
    try (Connection c = connection()) {
      int current = 0;
      try (PreparedStatement ps =
          c.prepareStatement("SELECT version FROM schema_versions WHERE component = ?")) {
        ps.setString(1, component);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) current = rs.getInt(1);
        }
      }
      if (current > migrations.size()) {
        throw new DatabaseException(
            "the database at "
                + url
                + " has "
                + component
                + " schema version "
                + current
                + ", newer than this build knows ("
                + migrations.size()
                + ")",
            null);
      }
      if (current == 0 && fresh != null) {
        apply(c, component, fresh, migrations.size());
        return;
      }
      for (int v = current + 1; v <= migrations.size(); v++) {
        apply(c, component, migrations.get(v - 1), v);
      }
    } catch (SQLException e) {
      throw new DatabaseException("migration of " + component + " failed: " + e.getMessage(), e);
    }
  }

  /** Runs {@code statements} and records {@code version}, in one transaction. */
  private static void apply(Connection c, String component, List<String> statements, int version)
      throws SQLException {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      for (String sql : statements) s.execute(sql);
      try (PreparedStatement ps =
          c.prepareStatement(
              "MERGE INTO schema_versions KEY (component) VALUES (?, ?, CURRENT_TIMESTAMP)")) {
        ps.setString(1, component);
        ps.setInt(2, version);
        ps.executeUpdate();
      }
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /** Reads one row of a result set. */
  public interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** Takes one row of a result set. */
  public interface RowConsumer {
    void accept(ResultSet rs) throws SQLException;
  }

  /**
   * Runs {@code sql} with positional {@code params} and reads every row; a failure says it could
   * not read {@code what}.
   */
  public <T> List<T> list(String what, String sql, RowReader<T> reader, Object... params) {
    List<T> out = new ArrayList<>();
    scan(what, sql, rs -> out.add(reader.read(rs)), params);
    return out;
  }

  /** As {@link #list}, handing each row to {@code consumer} instead of keeping it. */
  public void scan(String what, String sql, RowConsumer consumer, Object... params) {
    try (Connection c = connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) consumer.accept(rs);
      }
    } catch (SQLException e) {
      throw new DatabaseException("cannot read " + what + ": " + e.getMessage(), e);
    }
  }

  @Override
  /**
   * Closes the database: an embedded file database is shut down, so everything written is on disk
   * when this returns.
   */
  public void close() {
    if (embeddedFile) {
      try (Connection c = pool.getConnection();
          Statement s = c.createStatement()) {
        s.execute("SHUTDOWN");
      } catch (SQLException e) {
        // already closed
      }
    }
    pool.dispose();
  }

  /**
   * An embedded H2 database is closed by the runtime, last, not by H2's own shutdown hook: that
   * hook runs beside the runtime's on SIGTERM and closed the database under the stop's last writes
   * (the request store's batch, the queue's released messages), which were then lost.
   */
  private static String closedByTheRuntime(String jdbcUrl) {
    boolean embedded = jdbcUrl.startsWith("jdbc:h2:mem:") || isEmbeddedFile(jdbcUrl);
    if (!embedded || jdbcUrl.toUpperCase(Locale.ROOT).contains("DB_CLOSE_ON_EXIT")) return jdbcUrl;
    return jdbcUrl + ";DB_CLOSE_ON_EXIT=FALSE";
  }

  private static boolean isEmbeddedFile(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:h2:file:")) return true;
    if (!jdbcUrl.startsWith("jdbc:h2:")) return false;
    char first = jdbcUrl.length() > 8 ? jdbcUrl.charAt(8) : ' ';
    return first == '/' || first == '~' || first == '.';
  }

  /**
   * A database failure; the runtime answers these with 500/503, never with details in production.
   */
  public static final class DatabaseException extends RuntimeException {
    public DatabaseException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
