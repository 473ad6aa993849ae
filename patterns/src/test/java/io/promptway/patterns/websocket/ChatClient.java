package io.promptway.patterns.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.runtime.http.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A test client on java.net.http.WebSocket that queues every server message as JSON. */
final class ChatClient implements AutoCloseable {
  final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
  final CompletableFuture<Integer> closed = new CompletableFuture<>();
  final BlockingQueue<String> pongs = new LinkedBlockingQueue<>();
  final WebSocket ws;

  /**
   * @param headers of the upgrade request, as name, value, name, value...
   */
  ChatClient(HttpClient http, URI base, String... headers) {
    URI uri = URI.create("ws://" + base.getHost() + ":" + base.getPort() + WebSocketPattern.PATH);
    WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    for (int i = 0; i + 1 < headers.length; i += 2) builder.header(headers[i], headers[i + 1]);
    this.ws = builder.buildAsync(uri, new Listener()).join();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          messages.add(Json.mapper().readTree(partial.toString()));
        } catch (Exception e) {
          throw new IllegalStateException("server sent invalid JSON: " + partial, e);
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
      pongs.add(StandardCharsets.UTF_8.decode(message).toString());
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.completeExceptionally(error);
    }
  }

  void send(String json) {
    ws.sendText(json, true).join();
  }

  /** The next message, failing after {@code seconds}. */
  JsonNode next(int seconds) throws InterruptedException {
    JsonNode m = messages.poll(seconds, TimeUnit.SECONDS);
    if (m == null) throw new AssertionError("no message within " + seconds + " s");
    return m;
  }

  /** Every message up to and including the first one matching {@code last}. */
  List<JsonNode> until(Predicate<JsonNode> last, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<JsonNode> out = new ArrayList<>();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonNode m = messages.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
      if (m == null)
        throw new AssertionError("no matching message within " + seconds + " s; got " + out);
      out.add(m);
      if (last.test(m)) return out;
    }
  }

  static Predicate<JsonNode> type(String type) {
    return m -> type.equals(m.path("type").asText());
  }

  @Override
  public void close() {
    if (!ws.isOutputClosed())
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(t -> null);
    ws.abort();
  }
}
