package io.promptway.scenarios.client;

import static io.promptway.scenarios.client.ClientFixtures.base;
import static io.promptway.scenarios.client.ClientFixtures.call;
import static io.promptway.scenarios.client.ClientFixtures.server;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SyncClientTest {
  @Test
  void completesFromTheEnvelopeAndSendsTheCallHeadersAfterTellingTheListener() throws Exception {
    HttpServer server = server();
    List<String> seqHeaders = new ArrayList<>();
    server.createContext(
        "/sync/generate",
        ex -> {
          seqHeaders.add(ex.getRequestHeaders().getFirst("X-Promptway-Seq"));
          byte[] body =
              ("{\"success\":true,\"data\":{\"text\":\"hello\",\"finish_reason\":\"stop\"},"
                      + "\"metadata\":{\"request_id\":\"r-1\",\"usage\":{\"prompt_tokens\":3,"
                      + "\"completion_tokens\":2},\"cost\":{\"total_usd\":0.5}}}")
                  .getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
    try (BlockingHttp http = BlockingHttp.create()) {
      ClientFixtures.Recording r = new ClientFixtures.Recording();
      new SyncClient(http, base(server))
          .generate(call(Duration.ofSeconds(5), Map.of("X-Promptway-Seq", "7")), r);
      assertEquals(List.of("sending", "complete"), r.calls);
      assertEquals("r-1", r.completion.requestId());
      assertEquals("hello", r.completion.text());
      assertEquals(2, r.completion.completionTokens());
      assertEquals(List.of("7"), seqHeaders);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aGatewayTimeoutIsATimeoutAndASlowServerIsAClientTimeout() throws Exception {
    HttpServer server = server();
    CountDownLatch release = new CountDownLatch(1);
    server.createContext(
        "/sync/generate",
        ex -> {
          if ("slow".equals(ex.getRequestHeaders().getFirst("X-Mode"))) {
            try {
              release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          byte[] body =
              "{\"success\":false,\"error\":{\"code\":\"INTEGRATION_TIMEOUT\",\"message\":\"late\"}}"
                  .getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(504, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
    try (BlockingHttp http = BlockingHttp.create()) {
      SyncClient client = new SyncClient(http, base(server));
      ClientFixtures.Recording gateway = new ClientFixtures.Recording();
      client.generate(call(Duration.ofSeconds(5), Map.of("X-Promptway-Seq", "7")), gateway);
      assertEquals(ClientError.Kind.TIMEOUT, gateway.error().kind());
      assertEquals("INTEGRATION_TIMEOUT", gateway.error().code());

      ClientFixtures.Recording slow = new ClientFixtures.Recording();
      long start = System.nanoTime();
      client.generate(call(Duration.ofMillis(200), Map.of("X-Mode", "slow")), slow);
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertEquals(ClientError.Kind.CLIENT_TIMEOUT, slow.error().kind());
      assertTrue(ms < 5_000, "gave up after the call's timeout, not the server's: " + ms + " ms");
    } finally {
      release.countDown();
      server.stop(0);
    }
  }

  @Test
  void aRefusedConnectionIsAConnectionError() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    try (BlockingHttp http = BlockingHttp.create()) {
      ClientFixtures.Recording r = new ClientFixtures.Recording();
      new SyncClient(http, URI.create("http://127.0.0.1:" + port + "/"))
          .generate(call(Duration.ofSeconds(2), Map.of()), r);
      assertEquals(ClientError.Kind.CONNECTION, r.error().kind());
    }
  }
}
