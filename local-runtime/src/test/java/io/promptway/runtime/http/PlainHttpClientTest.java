package io.promptway.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.WebServer;
import io.promptway.runtime.testing.LoopbackRoute;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PlainHttpClientTest {
  private static final long MAX_IDLE = Duration.ofSeconds(30).toNanos();

  private final List<Integer> clientPorts = new CopyOnWriteArrayList<>();
  private final List<String> seenHeaders = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closeAfterAnswer = new AtomicBoolean();
  private final WebServer server =
      LoopbackRoute.post(
          "/v1/chat/completions",
          (req, res) -> {
            clientPorts.add(req.remotePeer().port());
            seenHeaders.add(
                req.headers().first(HeaderNames.create("X-Test")).orElse("-")
                    + " "
                    + req.headers().first(HeaderNames.CONTENT_TYPE).orElse("-"));
            if (closeAfterAnswer.get()) res.header(HeaderValues.CONNECTION_CLOSE);
            res.header(HeaderNames.RETRY_AFTER, "7");
            res.send(req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0]);
          });
  private final URI uri = URI.create("http://127.0.0.1:" + server.port() + "/v1/chat/completions");
  private final AtomicLong now = new AtomicLong();
  private final PlainHttpClient client = new PlainHttpClient(5_000, 8, MAX_IDLE, now::get);

  @AfterEach
  void stop() {
    client.close();
    server.stop();
  }

  private PlainHttpClient.Response call(String body) throws IOException {
    return client.post(
        uri, body.getBytes(StandardCharsets.UTF_8), "X-Test", "yes", "Content-Type", "text/plain");
  }

  @Test
  void sendsTheBodyAndHeadersAndReadsTheWholeAnswerOfEverySize() throws IOException {
    for (int size : new int[] {0, 1, 8_191, 8_192, 8_193, 70_000, 1_000_000}) {
      String body = "x".repeat(size);
      var response = call(body);
      assertEquals(200, response.status());
      assertEquals(body, new String(response.body(), StandardCharsets.UTF_8), "size " + size);
      assertEquals("7", response.header("retry-after"), "headers are found in any case");
      assertNull(response.header("X-Not-There"));
    }
    assertEquals("yes text/plain", seenHeaders.get(0));
    assertEquals(1, new HashSet<>(clientPorts).size(), "one kept connection: " + clientPorts);
  }

  @Test
  void aConnectionIdleLongerThanTheLimitIsClosedNotReused() throws IOException {
    call("{}");
    now.addAndGet(MAX_IDLE + 1);
    call("{}");
    assertEquals(2, new HashSet<>(clientPorts).size());
    assertEquals(1, client.idleCount());
  }

  @Test
  void aConnectionTheServerSaysItClosesIsNotPooled() throws IOException {
    closeAfterAnswer.set(true);
    call("{}");
    assertEquals(0, client.idleCount());
    closeAfterAnswer.set(false);
    call("{}");
    assertEquals(2, new HashSet<>(clientPorts).size());
  }

  @Test
  void eachHostAndPortHasItsOwnConnectionsAndCloseDropsThem() throws IOException {
    call("{}");
    WebServer other = LoopbackRoute.post("/v1/chat/completions", (req, res) -> res.send("{}"));
    try {
      URI elsewhere = URI.create("http://127.0.0.1:" + other.port() + "/v1/chat/completions");
      assertEquals(200, client.post(elsewhere, new byte[0]).status());
      assertEquals(2, client.idleCount());
      call("{}");
      assertEquals(1, new HashSet<>(clientPorts).size(), "the first server's connection reused");
    } finally {
      other.stop();
    }
    client.close();
    assertEquals(0, client.idleCount());
    call("{}");
    assertEquals(0, client.idleCount(), "a connection returned after close is closed");
  }

  @Test
  void aKeptConnectionTheServerClosedWhileIdleIsRetriedOnANewOne() throws Exception {
    // answers one request per connection, without saying it will close, then closes
    try (var raw = new ScriptedServer(1, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")) {
      assertEquals("ok", text(client.post(raw.uri(), new byte[0])));
      raw.awaitClosed(1);
      assertEquals(1, client.idleCount(), "kept, as the server did not say it would close");
      assertEquals("ok", text(client.post(raw.uri(), new byte[0])));
      assertEquals(2, raw.connections());
    }
  }

  @Test
  void readsChunkedAndCloseDelimitedBodiesAndSkipsInterimAnswers() throws Exception {
    String chunked =
        "HTTP/1.1 100 Continue\r\n\r\n"
            + "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n"
            + "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nTrailer: x\r\n\r\n";
    try (var raw = new ScriptedServer(2, chunked)) {
      var response = client.post(raw.uri(), new byte[0]);
      assertEquals(201, response.status());
      assertEquals("hello, world", text(response));
      assertEquals("1", response.header("x-a"));
      assertEquals(1, client.idleCount(), "a chunked answer leaves the connection usable");
    }
    try (var raw =
        new ScriptedServer(1, "HTTP/1.0 503 Busy\r\nRetry-After: 3\r\n\r\nuntil close")) {
      var response = client.post(raw.uri(), new byte[0]);
      assertEquals(503, response.status());
      assertEquals("until close", text(response));
      assertEquals("3", response.header("Retry-After"));
    }
  }

  @Test
  void malformedOrCutShortAnswersFailWithWhatWasWrong() throws Exception {
    String[][] cases = {
      {"HTTP/1.1 abc OK\r\n\r\n", "malformed status line"},
      {"SPDY/3 200 OK\r\n\r\n", "malformed status line"},
      {"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "bad Content-Length"},
      {"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "malformed response header"},
      {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", "ended early"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "bad chunk size"},
      {"", "closed the connection without answering"},
    };
    for (String[] c : cases) {
      try (var raw = new ScriptedServer(1, c[0])) {
        var e = assertThrows(IOException.class, () -> client.post(raw.uri(), new byte[0]), c[0]);
        assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
      }
    }
    assertEquals(0, client.idleCount(), "no broken connection is kept");
  }

  @Test
  void aHeaderWithALineBreakIsRefusedBeforeAnythingIsSent() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> client.post(uri, new byte[0], "X-Test", "yes\r\nX-Injected: 1"));
    assertTrue(e.getMessage().contains("line break"), e.getMessage());
    assertTrue(clientPorts.isEmpty(), "nothing reached the server");
  }

  @Test
  void refusesSchemesItDoesNotSpeak() {
    var e =
        assertThrows(
            IOException.class, () -> client.post(URI.create("https://127.0.0.1:1/"), new byte[0]));
    assertTrue(e.getMessage().contains("https"), e.getMessage());
  }

  private static String text(PlainHttpClient.Response response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  /**
   * Answers each request on a connection with a fixed script, up to {@code perConnection} requests,
   * then closes the connection without a word.
   */
  private static final class ScriptedServer implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread acceptor;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final List<Boolean> closed = new CopyOnWriteArrayList<>();

    ScriptedServer(int perConnection, String script) throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      byte[] answer = script.getBytes(StandardCharsets.ISO_8859_1);
      acceptor =
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (!socket.isClosed()) {
                      try {
                        Socket s = socket.accept();
                        accepted.add(s);
                        Thread.ofVirtual().start(() -> serve(s, perConnection, answer));
                      } catch (IOException e) {
                        return;
                      }
                    }
                  });
    }

    private void serve(Socket s, int requests, byte[] answer) {
      try (s) {
        InputStream in = s.getInputStream();
        for (int i = 0; i < requests; i++) {
          if (!readRequest(in)) return;
          s.getOutputStream().write(answer);
          s.getOutputStream().flush();
        }
      } catch (IOException ignored) {
        // the client went away
      } finally {
        closed.add(true);
      }
    }

    /** Reads one request's head and its Content-Length body; false at the end of the stream. */
    private static boolean readRequest(InputStream in) throws IOException {
      var head = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) >= 0) {
        head.write(b);
        if (head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) break;
      }
      if (b < 0) return false;
      int length = 0;
      for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
        if (line.toLowerCase().startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      in.readNBytes(length);
      return true;
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/x");
    }

    int connections() {
      return accepted.size();
    }

    void awaitClosed(int n) throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (closed.size() < n) {
        if (System.nanoTime() > deadline) throw new AssertionError("server never closed");
        Thread.sleep(5);
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket s : new ArrayList<>(accepted)) s.close();
      acceptor.interrupt();
    }
  }
}
