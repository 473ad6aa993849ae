package io.promptway.runtime.webhook;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.config.RuntimeConfig;
import io.promptway.runtime.db.Database;
import io.promptway.runtime.http.ApiException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebhookDispatcherTest {
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private final SimulatedClock clock = new SimulatedClock(1000);
  private final Database db =
      new Database("jdbc:h2:mem:webhook-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  private final RuntimeConfig.Webhook config =
      new RuntimeConfig.Webhook(
          List.of("127.0.0.0/8", "::1", "localhost"),
          List.of(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(60)),
          0.1,
          Duration.ofSeconds(15));
  private final WebhookDispatcher dispatcher =
      new WebhookDispatcher(
          db,
          clock,
          new WebhookSigner(WebhookSecret.parse(SECRET)),
          CallbackAllowList.loopback(),
          config,
          7);

  @AfterEach
  void close() {
    dispatcher.close();
    db.close();
  }

  /** An HMAC computed here from the spec, independent of WebhookSigner. */
  private static String expectedSignature(String id, String timestamp, String body)
      throws Exception {
    byte[] key = Base64.getDecoder().decode(SECRET.substring("whsec_".length()));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    String signed = id + "." + timestamp + "." + body;
    return "v1,"
        + Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void signsEveryDeliveryAsStandardWebhooksSaysAndRetriesWithTheSameId() throws Exception {
    try (CallbackReceiver receiver = new CallbackReceiver().answering(n -> n < 3 ? 500 : 204)) {
      String body = "{\"type\":\"request.completed\",\"request_id\":\"r1\"}";
      assertTrue(
          dispatcher.enqueue("msg_r1", "r1", receiver.url("/hook"), "request.completed", body));
      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.calls().size() == 3);
      for (CallbackReceiver.Call call : receiver.calls()) {
        assertEquals("msg_r1", call.header("webhook-id"));
        assertEquals(body, call.body());
        assertEquals(
            expectedSignature("msg_r1", call.header("webhook-timestamp"), call.body()),
            call.header("webhook-signature"));
      }
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  dispatcher.deliveries("r1").get(0).status() == WebhookDelivery.Status.DELIVERED);
      List<DeliveryAttempt> log = dispatcher.attempts("r1");
      assertEquals(List.of(500, 500, 204), log.stream().map(DeliveryAttempt::statusCode).toList());
      assertNull(log.get(2).nextAttemptAt());
      assertFalse(
          dispatcher.enqueue("msg_r1", "r1", receiver.url("/hook"), "request.completed", body));
    }
  }

  @Test
  void theSignedTimestampIsTheWallClockSoVerifiersAcceptItAtAnyTimeScale() throws Exception {
    // at scale 1000 simulated time runs ahead of the wall clock by 999 s per real second
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> clock.now().isAfter(Instant.now().plus(Duration.ofMinutes(10))));
    try (CallbackReceiver receiver = new CallbackReceiver().answering(n -> 204)) {
      dispatcher.enqueue("msg_ts", "rts", receiver.url("/hook"), "request.completed", "{}");
      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.calls().size() == 1);

      CallbackReceiver.Call call = receiver.calls().get(0);
      long sent = Long.parseLong(call.header("webhook-timestamp"));
      assertTrue(
          Math.abs(sent - Instant.now().getEpochSecond()) <= 5,
          sent + " is not the wall clock's " + Instant.now().getEpochSecond());
      assertTrue(
          dispatcher
              .signer()
              .verify(
                  "msg_ts",
                  call.header("webhook-timestamp"),
                  call.header("webhook-signature"),
                  call.body(),
                  Instant.now().getEpochSecond(),
                  300),
          "a Standard Webhooks verifier with the usual 5-minute tolerance accepts it");
    }
  }

  @Test
  void aReceiverThatDoesNotAnswerInTimeIsCutOffAndTriedAgain() throws Exception {
    CountDownLatch hang = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    receiver.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          if (calls.incrementAndGet() == 1) {
            try {
              hang.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    try {
      String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
      dispatcher.enqueue("msg_r9", "r9", url, "request.completed", "{}");
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  dispatcher.deliveries("r9").get(0).status() == WebhookDelivery.Status.DELIVERED);
      List<DeliveryAttempt> log = dispatcher.attempts("r9");
      assertEquals(2, log.size());
      assertNull(log.get(0).statusCode());
      // 15 s simulated is 15 ms at this time scale; a real network call gets at least 2 s
      assertEquals("no answer within 2000 ms", log.get(0).error());
      assertTrue(log.get(0).durationMs() >= 2000 * 1000, "cut off after the timeout, simulated");
      assertEquals(204, log.get(1).statusCode());
    } finally {
      hang.countDown();
      receiver.stop(0);
    }
  }

  @Test
  void theVerifierAcceptsTheRuntimeSignatureAndRejectsATamperedBody() throws Exception {
    WebhookSigner signer = new WebhookSigner(WebhookSecret.parse(SECRET));
    String sig = signer.sign("msg_1", 1_700_000_000L, "{}");
    assertEquals(expectedSignature("msg_1", "1700000000", "{}"), sig);
    assertTrue(signer.verify("msg_1", "1700000000", sig, "{}", 1_700_000_010L, 300));
    assertFalse(signer.verify("msg_1", "1700000000", sig, "{ }", 1_700_000_010L, 300));
    assertFalse(signer.verify("msg_1", "1700000000", sig, "{}", 1_700_009_999L, 300), "too old");
  }

  @Test
  void goesToTheDeadLetterListAfterTheLastScheduledAttempt() throws Exception {
    try (CallbackReceiver receiver = new CallbackReceiver().answering(n -> 503)) {
      dispatcher.enqueue("msg_r2", "r2", receiver.url("/hook"), "request.failed", "{}");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> dispatcher.deliveries("r2").get(0).status() == WebhookDelivery.Status.DEAD);
      assertEquals(4, receiver.calls().size(), "the first attempt and one per scheduled retry");
      assertEquals("msg_r2", dispatcher.deadLetters(10).get(0).id());
    }
  }

  @Test
  void aReceiverNothingListensOnIsRecordedAsARefusedConnectionInWords() throws Exception {
    int closed;
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    dispatcher.enqueue(
        "msg_r5", "r5", "http://127.0.0.1:" + closed + "/hook", "request.completed", "{}");

    await().atMost(Duration.ofSeconds(10)).until(() -> !dispatcher.attempts("r5").isEmpty());

    assertEquals("connection refused", dispatcher.attempts("r5").get(0).error());
    assertTrue(
        dispatcher.deliveries("r5").get(0).lastError().startsWith("connection refused"),
        dispatcher.deliveries("r5").get(0).lastError());
  }

  /** A receiver that answers in HTTP/1.0 and closes each connection without saying so. */
  private static ServerSocket http10Receiver(AtomicInteger requests) throws IOException {
    ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    Thread.ofVirtual()
        .start(
            () -> {
              while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                  var in = new BufferedReader(new InputStreamReader(s.getInputStream(), UTF_8));
                  int length = 0;
                  for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                      length = Integer.parseInt(line.substring(15).strip());
                  }
                  for (int i = 0; i < length; i++) in.read();
                  requests.incrementAndGet();
                  s.getOutputStream()
                      .write("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(UTF_8));
                } catch (IOException e) {
                  // closed: the test is over
                }
              }
            });
    return server;
  }

  @Test
  void anHttp10ReceiverThatClosesEveryConnectionGetsEveryWebhookAtTheFirstAttempt()
      throws Exception {
    AtomicInteger requests = new AtomicInteger();
    try (ServerSocket receiver = http10Receiver(requests)) {
      String url = "http://127.0.0.1:" + receiver.getLocalPort() + "/hook";
      for (String id : List.of("r6", "r7", "r8")) {
        dispatcher.enqueue("msg_" + id, id, url, "request.completed", "{}");
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    !dispatcher.deliveries(id).isEmpty()
                        && dispatcher.deliveries(id).get(0).status()
                            != WebhookDelivery.Status.PENDING);
        assertEquals(WebhookDelivery.Status.DELIVERED, dispatcher.deliveries(id).get(0).status());
        assertEquals(1, dispatcher.deliveries(id).get(0).attempts(), id);
      }
      assertEquals(3, requests.get());
    }
  }

  @Test
  void waitsAtLeastWhatRetryAfterAsksFor() throws Exception {
    try (CallbackReceiver receiver =
        new CallbackReceiver()
            .answering(n -> n == 1 ? 429 : 200)
            .withHeaders(Map.of("Retry-After", "50"))) {
      dispatcher.enqueue("msg_r3", "r3", receiver.url("/hook"), "request.completed", "{}");
      await().atMost(Duration.ofSeconds(10)).until(() -> dispatcher.attempts("r3").size() == 2);
      DeliveryAttempt first = dispatcher.attempts("r3").get(0);
      assertTrue(
          Duration.between(first.at(), first.nextAttemptAt()).compareTo(Duration.ofSeconds(49))
              >= 0,
          "scheduled 5 s +/- jitter, but the receiver asked for 50 s");
    }
  }

  @Test
  void aRetryAfterOfAnyLengthWaitsNoLongerThanTheLongestStepAndTheMessageStillDeadLetters()
      throws Exception {
    for (String asked : List.of("99999999999999", "99999999999999999999999")) {
      try (CallbackReceiver receiver =
          new CallbackReceiver().answering(n -> 503).withHeaders(Map.of("Retry-After", asked))) {
        String id = "r" + asked.length();
        dispatcher.enqueue("msg_" + id, id, receiver.url("/hook"), "request.failed", "{}");

        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> dispatcher.deliveries(id).get(0).status() == WebhookDelivery.Status.DEAD);

        List<DeliveryAttempt> log = dispatcher.attempts(id);
        assertEquals(4, log.size(), "the first attempt and one per scheduled retry");
        for (DeliveryAttempt a : log.subList(0, 3)) {
          if (a.statusCode() == null) continue; // a cold JVM's first call may time out
          Duration wait = Duration.between(a.at(), a.nextAttemptAt());
          // the longest step (60 s) is the cap; the 60 s step itself may come out 10 % longer
          assertTrue(wait.compareTo(Duration.ofSeconds(59)) >= 0, wait.toString());
          assertTrue(wait.compareTo(Duration.ofSeconds(67)) <= 0, wait.toString());
        }
        assertEquals(503, log.get(3).statusCode());
      }
    }
  }

  @Test
  void anAttemptThatFailsInsideTheRuntimeDeadLettersTheMessageInsteadOfLeavingItPending()
      throws Exception {
    // a step no Instant can be that far ahead of: scheduling the retry throws
    var absurd =
        new RuntimeConfig.Webhook(
            config.allowHosts(),
            List.of(Duration.ofSeconds(Long.MAX_VALUE / 2)),
            0.1,
            Duration.ofSeconds(15));
    try (CallbackReceiver receiver = new CallbackReceiver().answering(n -> 503);
        WebhookDispatcher broken =
            new WebhookDispatcher(
                db,
                clock,
                new WebhookSigner(WebhookSecret.parse(SECRET)),
                CallbackAllowList.loopback(),
                absurd,
                7)) {
      broken.enqueue("msg_r4", "r4", receiver.url("/hook"), "request.failed", "{}");

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> broken.deliveries("r4").get(0).status() == WebhookDelivery.Status.DEAD);

      WebhookDelivery dead = broken.deliveries("r4").get(0);
      assertTrue(
          dead.lastError().startsWith("the runtime failed while making the attempt"),
          dead.lastError());
      assertEquals(1, receiver.calls().size());
      assertEquals("msg_r4", broken.deadLetters(10).get(0).id());
    }
  }

  @Test
  void aGoneEndpointIsDisabledAndLaterMessagesAreNotSent() throws Exception {
    try (CallbackReceiver receiver = new CallbackReceiver().answering(n -> 410)) {
      String url = receiver.url("/gone");
      dispatcher.enqueue("msg_a", "ra", url, "request.completed", "{}");
      await().atMost(Duration.ofSeconds(10)).until(() -> dispatcher.endpointDisabled(url));
      dispatcher.enqueue("msg_b", "rb", url, "request.completed", "{}");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> dispatcher.deliveries("rb").get(0).status() == WebhookDelivery.Status.DEAD);
      assertTrue(
          receiver.calls().stream().noneMatch(c -> "msg_b".equals(c.header("webhook-id"))),
          "nothing was sent to the disabled endpoint after the 410");
      assertTrue(receiver.calls().stream().allMatch(c -> "msg_a".equals(c.header("webhook-id"))));
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "10.0.0.0/99 | bad prefix length /99",
        "10.0.0.0/   | the prefix length is not a number",
        "::zz        | not an IP address: ::zz"
      })
  void anAllowListEntryThatIsNoHostOrNetworkIsNamedAtStartUp(String entry, String why) {
    var e =
        assertThrows(IllegalArgumentException.class, () -> new CallbackAllowList(List.of(entry)));

    assertEquals(
        "webhook.allow_hosts: '"
            + entry
            + "' is neither a host name nor an IP address or network such as 10.0.0.0/8 ("
            + why
            + ")",
        e.getMessage());
  }

  @Test
  void refusesCallbacksToHostsOutsideTheAllowList() {
    CallbackAllowList list = CallbackAllowList.loopback();
    list.check("callback_url", "http://127.0.0.1:9/x");
    list.check("callback_url", "http://[::1]:9/x");
    list.check("callback_url", "http://localhost/x");
    ApiException e =
        assertThrows(
            ApiException.class, () -> list.check("callback_url", "http://169.254.169.254/latest"));
    assertEquals(400, e.status());
    assertEquals("callback_url", e.details().get("field"));
    assertThrows(ApiException.class, () -> list.check("callback_url", "http://example.com/hook"));
    assertThrows(ApiException.class, () -> list.check("callback_url", "file:///etc/passwd"));
    assertThrows(
        ApiException.class, () -> list.check("callback_url", "http://user:pw@127.0.0.1/x"));
    assertThrows(ApiException.class, () -> list.check("callback_url", "http://1.2.3/x"));
  }

  @ParameterizedTest
  @CsvSource({
    "http://127.0.0.1:99999/x, 99999",
    "http://127.0.0.1:0/x, 0",
    "http://[::1]:70000/x, 70000",
    "http://localhost:99999999999/x, 99999999999"
  })
  void refusesACallbackPortOutsideOneTo65535(String url, String port) {
    ApiException e =
        assertThrows(
            ApiException.class, () -> CallbackAllowList.loopback().check("callback_url", url));

    assertEquals(400, e.status());
    assertEquals("callback_url", e.details().get("field"));
    assertEquals("callback_url: port must be within 1..65535, got " + port, e.getMessage());
  }

  @Test
  void acceptsTheHighestPortAndAUrlWithoutOne() {
    CallbackAllowList list = CallbackAllowList.loopback();
    list.check("callback_url", "http://127.0.0.1:65535/x");
    list.check("callback_url", "http://127.0.0.1:1/x");
    list.check("callback_url", "http://127.0.0.1/x");
  }

  @Test
  void aGeneratedSecretIsAnnouncedOnceAndAConfiguredOneIsUsed() {
    StringBuilder printed = new StringBuilder();
    WebhookSecret generated = WebhookSecret.resolve(Map.of(), printed::append);
    assertTrue(printed.toString().contains(generated.text()));
    assertTrue(generated.text().startsWith("whsec_"));
    WebhookSecret configured =
        WebhookSecret.resolve(Map.of(WebhookSecret.ENV, SECRET), s -> printed.append("!"));
    assertEquals(SECRET, configured.text());
    assertNotEquals('!', printed.charAt(printed.length() - 1));
  }

  @Test
  void aWebhookQueuedBeforeARestartIsNotQueuedAgainAfterIt() throws Exception {
    try (CallbackReceiver receiver = new CallbackReceiver().answering(n -> 204)) {
      String url = receiver.url("/hook");
      assertTrue(dispatcher.enqueue("msg_x", "rx", url, "request.completed", "{}"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  dispatcher.deliveries("rx").get(0).status() == WebhookDelivery.Status.DELIVERED);
      dispatcher.close();
      try (WebhookDispatcher restarted =
          new WebhookDispatcher(
              db,
              clock,
              new WebhookSigner(WebhookSecret.parse(SECRET)),
              CallbackAllowList.loopback(),
              config,
              7)) {
        assertFalse(restarted.enqueue("msg_x", "rx", url, "request.completed", "{}"));
        assertEquals(1, restarted.deliveries("rx").size());
        assertTrue(restarted.enqueue("msg_y", "ry", url, "request.completed", "{}"));
      }
      assertEquals(
          1, receiver.calls().stream().filter(c -> "msg_x".equals(c.header("webhook-id"))).count());
    }
  }
}
