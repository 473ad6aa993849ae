package io.promptway.runtime.webhook;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** A JDK HTTP server on 127.0.0.1:0 that records webhook calls and answers as told. */
public final class CallbackReceiver implements AutoCloseable {
  /** One received call: headers (lower-case names) and body. */
  public record Call(Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name);
    }
  }

  private final HttpServer server;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final AtomicInteger count = new AtomicInteger();
  private volatile IntFunction<Integer> status = n -> 200;
  private volatile Map<String, String> extraHeaders = Map.of();

  public CallbackReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          Map<String, String> headers = new HashMap<>();
          exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
          calls.add(new Call(headers, body));
          int code = status.apply(count.incrementAndGet());
          extraHeaders.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
          exchange.sendResponseHeaders(code, -1);
          exchange.close();
        });
    server.start();
  }

  /** Answers call number n (1-based) with {@code status.apply(n)}. */
  public CallbackReceiver answering(IntFunction<Integer> status) {
    this.status = status;
    return this;
  }

  public CallbackReceiver withHeaders(Map<String, String> headers) {
    this.extraHeaders = headers;
    return this;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
