package io.promptway.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.helidon.http.HeaderValues;
import io.helidon.webclient.api.WebClient;
import io.helidon.webserver.WebServer;
import io.promptway.runtime.testing.LoopbackRoute;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KeepAliveConnectionsTest {
  private static final long MAX_IDLE = Duration.ofSeconds(30).toNanos();

  private final List<Integer> clientPorts = new ArrayList<>();
  private final AtomicBoolean closeAfterAnswer = new AtomicBoolean();
  private final WebServer server =
      LoopbackRoute.post(
          "/v1/chat/completions",
          (req, res) -> {
            synchronized (clientPorts) {
              clientPorts.add(req.remotePeer().port());
            }
            if (closeAfterAnswer.get()) res.header(HeaderValues.CONNECTION_CLOSE);
            res.send("{}");
          });
  private final URI uri = URI.create("http://127.0.0.1:" + server.port() + "/v1/chat/completions");
  private final WebClient client = KeepAliveConnections.clientBuilder().build();
  private final AtomicLong now = new AtomicLong();
  private final KeepAliveConnections connections =
      new KeepAliveConnections(client, 8, MAX_IDLE, now::get);

  @AfterEach
  void stop() {
    connections.close();
    server.stop();
  }

  private void call() {
    try (var response = connections.post(uri, connections.borrow(uri)).submit("{}")) {
      assertEquals("{}", new String(Bodies.read(response.entity(), response.headers())));
    }
  }

  private int distinctConnections() {
    synchronized (clientPorts) {
      return new HashSet<>(clientPorts).size();
    }
  }

  @Test
  void bodiesOfEverySizeArriveWholeOnOneConnectionWrittenWithoutABuffer() {
    List<Integer> ports = new ArrayList<>();
    WebServer echo =
        LoopbackRoute.post(
            "/echo",
            (req, res) -> {
              synchronized (ports) {
                ports.add(req.remotePeer().port());
              }
              res.send(req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0]);
            });
    URI echoUri = URI.create("http://127.0.0.1:" + echo.port() + "/echo");
    try {
      // around and well past the 4 KB write buffer a connection has by default
      for (int size : new int[] {0, 1, 4_000, 4_096, 4_097, 70_000, 1_000_000}) {
        String body = "x".repeat(size);
        try (var response = connections.post(echoUri, connections.borrow(echoUri)).submit(body)) {
          assertEquals(
              body, new String(Bodies.read(response.entity(), response.headers())), "size " + size);
        }
      }
      assertEquals(1, new HashSet<>(ports).size(), "one kept connection: " + ports);
    } finally {
      echo.stop();
    }
  }

  @Test
  void callsOneAfterAnotherShareOneConnection() {
    for (int i = 0; i < 5; i++) call();
    assertEquals(1, distinctConnections());
    assertEquals(1, connections.idleCount());
  }

  @Test
  void aConnectionIdleLongerThanTheLimitIsClosedNotReused() {
    call();
    now.addAndGet(MAX_IDLE + 1);
    call();
    assertEquals(2, distinctConnections());
    assertEquals(1, connections.idleCount());
  }

  @Test
  void aConnectionTheServerClosesIsNotPooled() {
    closeAfterAnswer.set(true);
    call();
    assertEquals(0, connections.idleCount());
    closeAfterAnswer.set(false);
    call();
    assertEquals(2, distinctConnections());
  }

  @Test
  void eachHostAndPortHasItsOwnConnections() {
    call();
    WebServer other = LoopbackRoute.post("/v1/chat/completions", (req, res) -> res.send("{}"));
    try {
      URI elsewhere = URI.create("http://127.0.0.1:" + other.port() + "/v1/chat/completions");
      try (var response = connections.post(elsewhere, connections.borrow(elsewhere)).submit("{}")) {
        assertEquals(200, response.status().code());
        response.entity().consume();
      }
      assertEquals(2, connections.idleCount());
      call();
      assertEquals(1, distinctConnections(), "the first server's connection was reused");
    } finally {
      other.stop();
    }
  }

  @Test
  void closingDropsTheIdleConnectionsAndKeepsNoneReturnedLater() {
    var inFlight = connections.borrow(uri);
    call();
    assertEquals(1, connections.idleCount());
    connections.close();
    assertEquals(0, connections.idleCount());
    inFlight.releaseResource();
    assertEquals(0, connections.idleCount(), "a connection returned after close is closed");
  }

  @Test
  void overlappingCallsOpenTheirOwnConnectionsAndKeepAtMostTheIdleLimit() {
    var a = connections.borrow(uri);
    var b = connections.borrow(uri);
    a.releaseResource();
    b.releaseResource();
    assertEquals(2, connections.idleCount());
    var pool = new KeepAliveConnections(client, 1, MAX_IDLE, now::get);
    var c = pool.borrow(uri);
    var d = pool.borrow(uri);
    c.releaseResource();
    d.releaseResource();
    assertEquals(1, pool.idleCount());
    pool.close();
  }
}
