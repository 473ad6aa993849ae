package io.promptway.patterns.websocket;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;
import io.promptway.patterns.Pattern;
import io.promptway.patterns.Platform;
import io.promptway.runtime.http.ApiException;
import io.promptway.runtime.store.ConversationStore;
import io.promptway.runtime.store.JdbcConversationStore;
import java.util.List;
import java.util.Map;

/**
 * WebSocket chat: {@code GET /ws/chat} upgrades to a connection on which the client sends {@code
 * generate} and {@code cancel} actions and receives {@code accepted}, {@code token}, {@code
 * complete}, {@code cancelled} and {@code error} messages. A conversation keeps its context on the
 * state store, across messages and across reconnects with its {@code conversation_id}. The
 * platform's limits apply: idle timeout, maximum connection duration, message size.
 *
 * <p>Not modelled: the 32 KB frame limit (a larger frame closes the platform's connection with
 * 1009; here only the 128 KB message limit applies), the 500 new connections per second quota, and
 * the @connections callback API's own latency.
 */
public final class WebSocketPattern implements Pattern {
  public static final String NAME = "websocket";
  public static final String PATH = "/ws/chat";

  private final ChatContext ctx;
  private final ConnectionWatchdog watchdog;

  public WebSocketPattern(Platform platform) {
    ConversationStore conversations =
        new JdbcConversationStore(platform.database(), platform.clock(), platform.meter());
    this.watchdog = new ConnectionWatchdog(platform.clock(), platform.config().websocket());
    platform.metrics().registerOpenSessions(NAME, watchdog::size);
    this.ctx = new ChatContext(NAME, platform, conversations, watchdog);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** A plain GET reaches HTTP routing only without the upgrade headers: every upgrade is ours. */
  @Override
  public void routing(HttpRouting.Builder http) {
    http.get(
        PATH,
        (req, res) -> {
          throw new ApiException(
              426,
              "UPGRADE_REQUIRED",
              PATH + " is a WebSocket: send the upgrade headers (Upgrade: websocket)",
              Map.of("field", "Upgrade"),
              Map.of("Upgrade", "websocket"),
              null);
        });
  }

  @Override
  public List<String> routes() {
    return List.of("GET  " + PATH + " (WebSocket)");
  }

  @Override
  public void websocket(WsRouting.Builder ws) {
    ws.endpoint(PATH, () -> new ChatConnection(ctx));
  }

  public ConversationStore conversations() {
    return ctx.conversations();
  }

  /** Open connections, for tests and the benchmark. */
  public int openConnections() {
    return watchdog.size();
  }

  @Override
  public void close() {
    watchdog.closeAll();
    watchdog.close();
  }
}
