package io.promptway.runtime.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.helidon.webclient.api.WebClient;
import io.helidon.webserver.WebServer;
import io.promptway.runtime.testing.LoopbackRoute;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BodiesTest {
  private final AtomicReference<byte[]> received = new AtomicReference<>();
  private final WebServer server =
      LoopbackRoute.post(
          "/echo",
          (req, res) -> {
            byte[] body = Bodies.read(req.content(), req.headers());
            received.set(body);
            res.send(body);
          });
  private final WebClient client =
      WebClient.builder().baseUri("http://127.0.0.1:" + server.port()).build();

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void aBodyWithAContentLengthIsReadIntoAnArrayOfItsSize() {
    byte[] sent = "{\"prompt\":\"héllo\"}".getBytes(StandardCharsets.UTF_8);
    try (var response = client.post("/echo").submit(sent)) {
      byte[] back = Bodies.read(response.entity(), response.headers());
      assertArrayEquals(sent, back);
      assertEquals(sent.length, received.get().length);
    }
  }

  @Test
  void aChunkedBodyIsReadToItsEnd() {
    byte[] sent = "x".repeat(40_000).getBytes(StandardCharsets.UTF_8);
    try (var response =
        client
            .post("/echo")
            .outputStream(
                out -> {
                  out.write(new ByteArrayInputStream(sent).readAllBytes());
                  out.close();
                })) {
      assertArrayEquals(sent, Bodies.read(response.entity(), response.headers()));
      assertArrayEquals(sent, received.get());
    }
  }
}
