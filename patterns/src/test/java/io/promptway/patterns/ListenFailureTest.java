package io.promptway.patterns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.runtime.config.ConfigLoader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.h2.api.ErrorCode;
import org.junit.jupiter.api.Test;

class ListenFailureTest {
  @Test
  void aBusyPortFailsTheStartNamingTheAddressWithoutHelidonsStackTrace() throws Exception {
    List<LogRecord> logged = new ArrayList<>();
    Logger helidon = Logger.getLogger("io.helidon.webserver.LoomServer");
    Handler collect = collecting(logged);
    helidon.addHandler(collect);
    try (ServerSocket busy = busyPort()) {
      ListenFailure e =
          assertThrows(ListenFailure.class, () -> start(busy.getLocalPort(), memoryDatabase()));
      assertEquals(
          "cannot listen on 127.0.0.1:" + busy.getLocalPort() + ": the port is already in use",
          e.getMessage());
      assertTrue(e.portInUse());
    } finally {
      helidon.removeHandler(collect);
    }
    assertTrue(
        logged.stream().noneMatch(r -> r.getLevel() == Level.SEVERE), () -> logged.toString());
  }

  @Test
  void aHostThatIsNoAddressOrResolvingNameNamesTheFlagAndTheKey() {
    ListenFailure e =
        assertThrows(ListenFailure.class, () -> start("999.1.1.1", 0, memoryDatabase()));

    assertEquals(
        "cannot listen on 999.1.1.1:0: --host (server.host) '999.1.1.1' is not an address of this"
            + " machine or a name that resolves",
        e.getMessage());
  }

  @Test
  void aBusyPortLeavesNothingRunning() throws Exception {
    // The threads a process keeps once it has run a runtime (log writers, Helidon's timer) start.
    start(0, memoryDatabase()).close();
    String db = memoryDatabase();
    Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
    try (ServerSocket busy = busyPort()) {
      assertThrows(ListenFailure.class, () -> start(busy.getLocalPort(), db));
    }
    SQLException gone =
        assertThrows(
            SQLException.class,
            () -> DriverManager.getConnection(db + ";IFEXISTS=TRUE", "sa", "").close());
    assertEquals(ErrorCode.DATABASE_NOT_FOUND_WITH_IF_EXISTS_1, gone.getErrorCode());
    long deadline = System.nanoTime() + 10_000_000_000L;
    List<Thread> left = startedSince(before);
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      left.get(0).join(100);
      left = startedSince(before);
    }
    assertEquals(List.of(), left);
  }

  private static List<Thread> startedSince(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t) && t.isAlive() && !jvmOrHelidon(t))
        .toList();
  }

  /**
   * Virtual threads' carriers, and the daemon timer Helidon makes for every server it builds and
   * never cancels (a server started and stopped leaves one as well).
   */
  private static boolean jvmOrHelidon(Thread t) {
    String group = t.getThreadGroup() == null ? "" : t.getThreadGroup().getName();
    return group.equals("CarrierThreads")
        || group.equals("InnocuousThreadGroup")
        || t.getName().equals("helidon-idle-connection-timer");
  }

  private static ServerSocket busyPort() throws Exception {
    return new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
  }

  /** No DB_CLOSE_DELAY: the database is gone once its last connection closes. */
  private static String memoryDatabase() {
    return "jdbc:h2:mem:busy-" + UUID.randomUUID();
  }

  @Test
  void aFailedStartSaysOnlyWhyNotTheNoticesOfAStartedOne() throws Exception {
    List<String> notices = new ArrayList<>();
    try (ServerSocket busy = busyPort()) {
      assertThrows(
          ListenFailure.class, () -> start(busy.getLocalPort(), memoryDatabase(), notices::add));
    }
    assertEquals(List.of(), notices);

    if (System.getenv("PROMPTWAY_WEBHOOK_SECRET") != null) return; // no secret generated then
    try (RunningRuntime started = start(0, memoryDatabase(), notices::add)) {
      assertTrue(
          notices.stream().anyMatch(n -> n.contains("webhook signing secret")), notices.toString());
    }
  }

  private static RunningRuntime start(int port, String jdbcUrl) {
    return start("127.0.0.1", port, jdbcUrl);
  }

  private static RunningRuntime start(String host, int port, String jdbcUrl) {
    return start(host, port, jdbcUrl, notice -> {});
  }

  private static RunningRuntime start(int port, String jdbcUrl, Consumer<String> notices) {
    return start("127.0.0.1", port, jdbcUrl, notices);
  }

  private static RunningRuntime start(
      String host, int port, String jdbcUrl, Consumer<String> notices) {
    return PromptwayServer.start(
        new ConfigLoader()
            .load(
                null, Map.of("server.host", host, "server.port", port, "state.jdbc_url", jdbcUrl)),
        notices);
  }

  private static Handler collecting(List<LogRecord> into) {
    return new Handler() {
      @Override
      public void publish(LogRecord record) {
        into.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }
}
