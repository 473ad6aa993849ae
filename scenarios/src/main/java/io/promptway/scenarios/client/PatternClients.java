package io.promptway.scenarios.client;

import java.net.URI;
import java.net.http.HttpClient;

/** Builds the client for a pattern name ({@code sync, sse, websocket, async, events, hybrid}). */
public final class PatternClients {
  private PatternClients() {}

  /** {@code receiver} serves webhooks for async, events and hybrid; it may be null otherwise. */
  public static PatternClient create(
      String pattern, HttpClient http, URI base, CallbackReceiver receiver) {
    return switch (pattern) {
      case "sync" -> new SyncClient(http, base);
      case "sse" -> new SseClient(http, base);
      case "websocket" -> new WebSocketChatClient(http, base);
      case "async", "events" -> new QueuedClient(http, base, pattern, receiver);
      case "hybrid" -> new HybridClient(http, base, receiver);
      default -> throw new IllegalArgumentException("unknown pattern '" + pattern + "'");
    };
  }

  /** An HTTP/1.1 client suited to many concurrent streams. */
  public static HttpClient httpClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(java.time.Duration.ofSeconds(10))
        .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor())
        .build();
  }
}
