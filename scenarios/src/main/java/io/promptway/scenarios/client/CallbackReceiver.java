package io.promptway.scenarios.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local webhook endpoint (JDK HttpServer on 127.0.0.1, port 0) standing in for the client's
 * server: {@link #register} hands out a unique callback URL and a future completed with the first
 * accepted delivery's JSON body. It does not verify signatures; it counts deliveries, including the
 * ones it refuses on purpose.
 */
public final class CallbackReceiver implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, Slot> slots = new ConcurrentHashMap<>();
  private final AtomicInteger deliveries = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();

  private record Slot(
      CompletableFuture<JsonNode> result, AtomicInteger attempts, boolean rejectFirst) {}

  public CallbackReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    } catch (IOException e) {
      throw new IllegalStateException("cannot open the local webhook receiver", e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/callbacks/", this::handle);
    server.start();
  }

  /** A receiver address reachable from the runtime: {@code http://127.0.0.1:PORT}. */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** A registration: where to send the webhook and the future its body completes. */
  public record Registration(String token, URI url, CompletableFuture<JsonNode> result) {}

  public Registration register(boolean rejectFirstDelivery) {
    String token = UUID.randomUUID().toString();
    Slot slot = new Slot(new CompletableFuture<>(), new AtomicInteger(), rejectFirstDelivery);
    slots.put(token, slot);
    return new Registration(token, baseUri().resolve("/callbacks/" + token), slot.result());
  }

  public void forget(String token) {
    slots.remove(token);
  }

  public int deliveries() {
    return deliveries.get();
  }

  public int refused() {
    return refused.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readAllBytes();
      deliveries.incrementAndGet();
      String token = exchange.getRequestURI().getPath().substring("/callbacks/".length());
      Slot slot = slots.get(token);
      if (slot == null) {
        exchange.sendResponseHeaders(410, -1);
        return;
      }
      if (slot.rejectFirst() && slot.attempts().getAndIncrement() == 0) {
        refused.incrementAndGet();
        exchange.sendResponseHeaders(500, -1);
        return;
      }
      slot.result().complete(Wire.parse(new String(body, StandardCharsets.UTF_8)));
      exchange.sendResponseHeaders(204, -1);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((ExecutorService) server.getExecutor()).shutdownNow();
  }
}
