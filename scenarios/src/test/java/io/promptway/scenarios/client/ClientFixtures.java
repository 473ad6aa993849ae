package io.promptway.scenarios.client;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** What the pattern clients' tests share: a loopback server, a call, a listener that records. */
final class ClientFixtures {
  private ClientFixtures() {}

  /**
   * A JDK HTTP server on 127.0.0.1, any free port, one virtual thread per exchange; not started.
   */
  static HttpServer server() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    return server;
  }

  static URI base(HttpServer server) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** A one-prompt call with the given client timeout and extra request headers. */
  static GenerationCall call(Duration timeout, Map<String, String> headers) {
    return new GenerationCall(
        "hi", "m", 5, 5, "standard", null, headers, timeout, null, false, false, false);
  }

  /** Records what a client reports, in order. */
  static final class Recording implements GenerationListener {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<Integer> tokens = new CopyOnWriteArrayList<>();
    final List<Double> emittedAtMs = new CopyOnWriteArrayList<>();
    final List<ClientError> errors = new CopyOnWriteArrayList<>();
    volatile Completion completion;

    @Override
    public void onSending() {
      calls.add("sending");
    }

    @Override
    public void onToken(int seq, String text, double emittedAtMs) {
      tokens.add(seq);
      this.emittedAtMs.add(emittedAtMs);
    }

    @Override
    public void onComplete(Completion c) {
      calls.add("complete");
      completion = c;
    }

    @Override
    public void onError(ClientError e) {
      calls.add("error");
      errors.add(e);
    }

    ClientError error() {
      return errors.isEmpty() ? null : errors.getLast();
    }
  }
}
