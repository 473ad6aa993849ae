package io.promptway.patterns;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;
import java.util.List;

/** One API pattern's entry point: it registers its routes and nothing else. */
public interface Pattern {

  /**
   * The name used in metering, headers and reports: sync, sse, websocket, async, events, hybrid.
   */
  String name();

  void routing(HttpRouting.Builder http);

  /** The routes this pattern serves, as "METHOD /path" lines for the banner and docs. */
  default List<String> routes() {
    return List.of();
  }

  default void websocket(WsRouting.Builder ws) {}

  /** Called once the server listens (and the model provider answers); start workers here. */
  default void start() {}

  /** Called once at shutdown; stop workers and release resources. */
  default void close() {}
}
