package io.promptway.scenarios.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.scenarios.FakeTargetAccess;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class QueuedClientTest {
  @Test
  void aClientThatRefusesTheFirstWebhookStillGetsTheResultFromTheRetry() throws Exception {
    try (var target = FakeTargetAccess.start(0, 10);
        var receiver = new CallbackReceiver();
        var http = BlockingHttp.create()) {
      var client = new QueuedClient(http, target.baseUri(), "async", receiver);
      AtomicReference<String> accepted = new AtomicReference<>();
      AtomicReference<Completion> done = new AtomicReference<>();
      // Polling every 10 minutes leaves the webhook as the only way to learn the result.
      var call =
          new GenerationCall(
              "hi",
              "m",
              3,
              5,
              "free",
              null,
              Map.of(),
              Duration.ofSeconds(20),
              Duration.ofMinutes(10),
              true,
              true,
              false);
      client.generate(
          call,
          new GenerationListener() {
            @Override
            public void onAccepted(String requestId) {
              accepted.set(requestId);
            }

            @Override
            public void onComplete(Completion completion) {
              done.set(completion);
            }

            @Override
            public void onError(ClientError error) {
              throw new AssertionError(error.toString());
            }
          });
      assertNotNull(accepted.get());
      assertEquals(accepted.get(), done.get().requestId());
      assertEquals("a b c", done.get().text());
      assertEquals(1, receiver.refused());
      assertEquals(2, receiver.deliveries());
    }
  }

  @Test
  void aWebhookClientFallsBackToPollingOnceItsWebhookIsLate() throws Exception {
    var receiver = new CallbackReceiver();
    receiver.close(); // the webhook can never arrive
    try (var target = FakeTargetAccess.start(0, 10);
        var http = BlockingHttp.create()) {
      var client = new QueuedClient(http, target.baseUri(), "async", receiver);
      AtomicReference<Completion> done = new AtomicReference<>();
      var call =
          new GenerationCall(
              "hi",
              "m",
              3,
              5,
              "free",
              null,
              Map.of(),
              Duration.ofSeconds(4),
              Duration.ofMillis(20),
              true,
              false,
              false);
      long start = System.nanoTime();
      client.generate(
          call,
          new GenerationListener() {
            @Override
            public void onComplete(Completion completion) {
              done.set(completion);
            }

            @Override
            public void onError(ClientError error) {
              throw new AssertionError(error.toString());
            }
          });
      assertEquals(3, done.get().completionTokens());
      assertTrue(
          System.nanoTime() - start >= call.webhookGrace().toNanos(),
          "no poll before the webhook is late");
    }
  }

  @Test
  void pollingAloneFindsTheResultWhenNoWebhookIsAsked() throws Exception {
    try (var target = FakeTargetAccess.start(0, 10);
        var http = BlockingHttp.create()) {
      var client = new QueuedClient(http, target.baseUri(), "events", null);
      AtomicReference<Completion> done = new AtomicReference<>();
      var call =
          new GenerationCall(
              "hi",
              "m",
              3,
              5,
              "free",
              null,
              Map.of(),
              Duration.ofSeconds(20),
              Duration.ofMillis(20),
              false,
              false,
              false);
      client.generate(
          call,
          new GenerationListener() {
            @Override
            public void onComplete(Completion completion) {
              done.set(completion);
            }

            @Override
            public void onError(ClientError error) {
              throw new AssertionError(error.toString());
            }
          });
      assertEquals(3, done.get().completionTokens());
    }
  }

  @Test
  void aPollingClientOnAsyncPollsForItsResultEvenThoughItsWebhookComesFirst() throws Exception {
    try (var target = FakeTargetAccess.start(0, 10);
        var receiver = new CallbackReceiver();
        var http = BlockingHttp.create()) {
      var client = new QueuedClient(http, target.baseUri(), "async", receiver);

      assertEquals(3, completePolling(client).completionTokens());
      assertTrue(
          FakeTargetAccess.received(target, "async").get(0).body().has("callback_url"),
          "the async route requires a callback_url");
      assertEquals(1, FakeTargetAccess.polls(target, "async"));
    }
  }

  @Test
  void aPollingClientTheHybridRouterQueuesPollsForItsResultToo() throws Exception {
    try (var target = FakeTargetAccess.start(0, 10);
        var receiver = new CallbackReceiver();
        var http = BlockingHttp.create()) {
      FakeTargetAccess.hybridQueues(target);
      var client =
          new HybridClient(
              http, java.net.http.HttpClient.newHttpClient(), target.baseUri(), receiver);

      assertEquals(3, completePolling(client).completionTokens());
      assertEquals(1, FakeTargetAccess.polls(target, "async"));
    }
  }

  /**
   * Runs one call of a client that polls every 300 ms: its webhook arrives within milliseconds, so
   * only a client that really polls makes the one poll the tests count.
   */
  private static Completion completePolling(PatternClient client) throws Exception {
    AtomicReference<Completion> done = new AtomicReference<>();
    var call =
        new GenerationCall(
            "hi",
            "m",
            3,
            5,
            "free",
            null,
            Map.of("X-Promptway-Seq", "1"),
            Duration.ofSeconds(20),
            Duration.ofMillis(300),
            false,
            false,
            false);
    client.generate(
        call,
        new GenerationListener() {
          @Override
          public void onComplete(Completion completion) {
            done.set(completion);
          }

          @Override
          public void onError(ClientError error) {
            throw new AssertionError(error.toString());
          }
        });
    return done.get();
  }
}
