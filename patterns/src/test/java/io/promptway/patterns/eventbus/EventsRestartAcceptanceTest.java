package io.promptway.patterns.eventbus;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.patterns.RuntimeFixture;
import io.promptway.patterns.support.RuntimeClient;
import io.promptway.patterns.support.TestModels;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.webhook.CallbackReceiver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops the runtime while the bus holds events (a model call in flight, a retry waiting), starts a
 * new one on the same H2 file, and checks that every accepted request finishes and its callback
 * says so, with the attempts it had made kept.
 */
class EventsRestartAcceptanceTest {
  private static final int REQUESTS = 6;

  @Test
  void eventsInFlightWhenTheRuntimeStopsAreRedeliveredAtTheNextStart(@TempDir Path dir)
      throws Exception {
    String url = jdbcUrl(dir);
    Consumer<Map<String, Object>> config =
        o -> {
          o.put("state.jdbc_url", url);
          o.put("time_scale", 10);
          // 30 simulated seconds to the first token: 3 s a call, so the stop finds them all in it
          o.put("llm.models.slow", RuntimeFixture.model("30s", "10ms", 20, null));
          o.put("prices.llm.slow", Map.of("input", 1.0, "output", 2.0));
          o.put("bus.model", "slow");
        };
    try (CallbackReceiver receiver = new CallbackReceiver()) {
      List<String> ids = new ArrayList<>();
      try (RuntimeClient first = RuntimeClient.start(config)) {
        for (int i = 0; i < REQUESTS; i++) ids.add(submit(first, receiver, i % 2 == 0 ? 8 : 2));
        for (String id : ids) awaitStatus(first, id, "processing");
      }
      shutdown(url);

      try (RuntimeClient second = RuntimeClient.start(config)) {
        for (String id : ids) {
          JsonNode done = awaitStatus(second, id, "completed");
          assertEquals(1, done.path("attempts").asInt(), "the cut attempt is not counted twice");
          String trail = second.get("/requests/" + id).data().path("trail").toString();
          assertTrue(trail.contains("taken over"), trail);
        }
        Map<String, String> hooks = awaitWebhooks(receiver, ids.size());
        for (String id : ids) assertEquals("request.completed", hooks.get(id), id);
      }
    }
  }

  @Test
  void aRetryWaitingWhenTheRuntimeStopsIsMadeAtTheNextStartAsTheNextAttempt(@TempDir Path dir)
      throws Exception {
    String url = jdbcUrl(dir);
    Consumer<Map<String, Object>> config =
        o -> {
          o.put("state.jdbc_url", url);
          o.put("time_scale", 10);
          o.put("bus.retry_base", "1h"); // minutes of real time before the bus would retry
          o.put("bus.retry_max", "1h");
        };
    try (CallbackReceiver receiver = new CallbackReceiver()) {
      String id;
      try (RuntimeClient first =
          RuntimeClient.start(
              config.andThen(
                  o -> {
                    TestModels.addFlaky(o, "flaky");
                    o.put("bus.model", "flaky");
                  }))) {
        id = submit(first, receiver, 2);
        awaitStatus(first, id, "retrying");
      }
      shutdown(url);

      try (RuntimeClient second = RuntimeClient.start(config)) {
        JsonNode done = awaitStatus(second, id, "completed");
        assertEquals(2, done.path("attempts").asInt(), done.toString());
        assertEquals("request.completed", awaitWebhooks(receiver, 1).get(id));
      }
    }
  }

  private static String jdbcUrl(Path dir) {
    return "jdbc:h2:file:" + dir.resolve("state") + ";DB_CLOSE_DELAY=-1";
  }

  /** Closes the file for real before the next runtime reopens it. */
  private static void shutdown(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      c.createStatement().execute("SHUTDOWN");
    }
  }

  private static String submit(RuntimeClient client, CallbackReceiver receiver, int priority) {
    var reply =
        client.post(
            "/events/requests",
            "{'prompt':'restart','model':'instant','priority':"
                + priority
                + ",'callback_url':'"
                + receiver.url("/hook")
                + "'}");
    assertEquals(202, reply.status(), reply.json().toString());
    return reply.data().path("request_id").asText();
  }

  private static JsonNode awaitStatus(RuntimeClient client, String id, String status) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> client.get("/events/requests/" + id).data(),
            d -> d.path("status").asText().equals(status));
  }

  /** The webhook type each request got, once {@code count} requests got one. */
  private static Map<String, String> awaitWebhooks(CallbackReceiver receiver, int count) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              Map<String, String> types = new HashMap<>();
              for (CallbackReceiver.Call call : receiver.calls()) {
                JsonNode hook = Json.mapper().readTree(call.body());
                types.put(hook.path("request_id").asText(), hook.path("type").asText());
              }
              return types;
            },
            types -> types.size() == count);
  }
}
