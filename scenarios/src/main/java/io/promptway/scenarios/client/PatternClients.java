package io.promptway.scenarios.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executors;

/** Builds the client for a pattern name ({@code sync, sse, websocket, async, events, hybrid}). */
public final class PatternClients {
  private PatternClients() {}

  /**
   * {@code plain} carries request/response calls (sync, queued submits and polls, the hybrid
   * router) and server-sent event streams; {@code streams} carries WebSocket sessions. {@code
   * receiver} serves webhooks for async, events and hybrid; it may be null otherwise.
   */
  public static PatternClient create(
      String pattern, BlockingHttp plain, HttpClient streams, URI base, CallbackReceiver receiver) {
    return switch (pattern) {
      case "sync" -> new SyncClient(plain, base);
      case "sse" -> new SseClient(plain, base);
      case "websocket" -> new WebSocketChatClient(streams, base);
      case "async", "events" -> new QueuedClient(plain, base, pattern, receiver);
      case "hybrid" -> new HybridClient(plain, streams, base, receiver);
      default -> throw new IllegalArgumentException("unknown pattern '" + pattern + "'");
    };
  }

  /** An HTTP/1.1 client suited to many concurrent streams (SSE, WebSocket). */
  public static HttpClient httpClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .executor(Executors.newVirtualThreadPerTaskExecutor())
        .build();
  }
}
