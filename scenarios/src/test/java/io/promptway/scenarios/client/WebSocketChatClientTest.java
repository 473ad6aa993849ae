package io.promptway.scenarios.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WebSocketChatClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Answers each generate message with accepted, three tokens and complete, as /ws/chat does. */
  static final class FakeChat implements WsListener {
    @Override
    public void onMessage(WsSession session, String text, boolean last) {
      try {
        JsonNode m = JSON.readTree(text);
        String id = "req-" + m.path("client_ref").asText();
        session.send(
            "{\"type\":\"accepted\",\"request_id\":\""
                + id
                + "\",\"client_ref\":\""
                + m.path("client_ref").asText()
                + "\"}",
            true);
        for (int i = 0; i < 3; i++) {
          session.send(
              "{\"type\":\"token\",\"request_id\":\""
                  + id
                  + "\",\"seq\":"
                  + i
                  + ",\"text\":\""
                  + m.path("prompt").asText()
                  + i
                  + "\",\"at_ms\":"
                  + (50 + 2.5 * i)
                  + "}",
              true);
        }
        session.send(
            "{\"type\":\"complete\",\"request_id\":\""
                + id
                + "\",\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":3},\"cost\":{\"total_usd\":0.5}}",
            true);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void relaysTokensInOrderAndCompletesOverTheChatSocket() {
    WebServer server =
        WebServer.builder()
            .host("127.0.0.1")
            .port(0)
            .addRouting(WsRouting.builder().endpoint("/ws/chat", new FakeChat()))
            .build()
            .start();
    try {
      var client =
          new WebSocketChatClient(
              PatternClients.httpClient(), URI.create("http://127.0.0.1:" + server.port() + "/"));
      List<String> seen = new CopyOnWriteArrayList<>();
      Completion[] done = new Completion[1];
      client.generate(
          GenerationCall.of("x", "m", 3),
          new GenerationListener() {
            @Override
            public void onAccepted(String requestId) {
              seen.add("accepted " + requestId);
            }

            @Override
            public void onToken(int seq, String text, double emittedAtMs) {
              seen.add(seq + ":" + text + "@" + emittedAtMs);
            }

            @Override
            public void onComplete(Completion completion) {
              done[0] = completion;
            }

            @Override
            public void onError(ClientError error) {
              throw new AssertionError(error.toString());
            }
          });
      assertEquals(List.of("accepted req-r1", "0:x0@50.0", "1:x1@52.5", "2:x2@55.0"), seen);
      assertEquals("x0x1x2", done[0].text());
      assertEquals(0.5, done[0].costUsd());
      assertEquals("websocket", done[0].servedBy());
    } finally {
      server.stop();
    }
  }
}
