package io.promptway.cli.chat;

import java.net.URI;

/** Makes the transport for a pattern name against one runtime base URL. */
public final class ChatTransports {
  private final RuntimeHttp http;

  public ChatTransports(URI baseUri) {
    this(baseUri, null, 1);
  }

  /**
   * @param apiKey the gateway API key sent with every request, or null
   * @param timeScale the runtime's, which sets how long to wait for it
   */
  public ChatTransports(URI baseUri, String apiKey, double timeScale) {
    this.http = new RuntimeHttp(baseUri, apiKey, RuntimeHttp.answerLimit(timeScale));
  }

  /**
   * @throws IllegalArgumentException for a name not in {@link ChatRepl#PATTERNS}
   */
  public ChatTransport forPattern(String pattern) {
    return switch (pattern) {
      case "sync" -> new SyncTransport(http);
      case "sse" -> new SseTransport(http);
      case "websocket" -> new WebSocketTransport(http);
      case "async" -> PollingTransport.async(http);
      case "events" -> PollingTransport.events(http);
      case "hybrid" -> new HybridTransport(http);
      default ->
          throw new IllegalArgumentException(
              "unknown pattern '" + pattern + "'; one of " + String.join(", ", ChatRepl.PATTERNS));
    };
  }
}
