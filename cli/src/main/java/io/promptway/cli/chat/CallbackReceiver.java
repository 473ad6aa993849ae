package io.promptway.cli.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP endpoint that receives the async pattern's webhooks and wakes up whoever waits
 * for that request id. It does not verify signatures: the REPL only uses a callback as a signal to
 * read the result from the status URL.
 */
final class CallbackReceiver implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();

  CallbackReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/callback",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            JsonNode body =
                RuntimeHttp.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            String id = body.path("request_id").asText("");
            waiting.computeIfAbsent(id, k -> new CompletableFuture<>()).complete(body);
          } catch (RuntimeException ignored) {
            // a malformed callback is answered and otherwise ignored; polling still finds the
            // result
          }
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/callback");
  }

  /** Completes when the webhook for {@code requestId} arrives (or already has). */
  CompletableFuture<JsonNode> callbackFor(String requestId) {
    return waiting.computeIfAbsent(requestId, k -> new CompletableFuture<>());
  }

  void forget(String requestId) {
    waiting.remove(requestId);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
