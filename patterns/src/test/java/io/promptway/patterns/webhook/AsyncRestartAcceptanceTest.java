package io.promptway.patterns.webhook;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.patterns.support.RuntimeClient;
import io.promptway.patterns.support.Signatures;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.webhook.CallbackReceiver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops the runtime while workers hold a batch, starts a new one on the same H2 file, and checks
 * that every request completes exactly once as the client sees it: one webhook id per request, one
 * "request.completed" outcome, and a completed status.
 */
class AsyncRestartAcceptanceTest {
  private static final int REQUESTS = 24;

  @Test
  void everyRequestCompletesExactlyOnceAcrossARestartMidBatch(@TempDir Path dir) throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("state") + ";DB_CLOSE_DELAY=-1";
    Consumer<Map<String, Object>> config =
        o -> {
          o.put("state.jdbc_url", url);
          // slow enough that the first runtime stops with most requests still in flight, fast
          // enough that the second re-delivers them (visibility timeout) within a few seconds
          o.put("time_scale", 5);
          o.put("async.visibility_timeout", "15s");
          o.put("async.workers", 1);
          o.put("async.concurrency_per_worker", 5);
        };
    try (CallbackReceiver receiver = new CallbackReceiver()) {
      List<String> ids = new ArrayList<>();
      String secret;
      RuntimeClient first = RuntimeClient.start(config);
      try {
        secret = first.runtime().platform().webhooks().signer().secret().text();
        for (int i = 0; i < REQUESTS; i++) {
          var reply =
              first.post(
                  "/async/requests",
                  "{'prompt':'Request number "
                      + i
                      + "','model':'gpt-4o-mini','max_tokens':60,"
                      + "'callback_url':'"
                      + receiver.url("/hook")
                      + "'}");
          assertEquals(202, reply.status());
          ids.add(reply.data().path("request_id").asText());
        }
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(5))
            .until(() -> !receiver.calls().isEmpty());
      } finally {
        first.close(); // workers die holding their batch
      }
      int before = receiver.calls().size();
      assertTrue(
          before < REQUESTS, "the runtime stopped before finishing: " + before + " webhooks");
      try (Connection c = DriverManager.getConnection(url, "sa", "")) {
        c.createStatement().execute("SHUTDOWN"); // close the file for real before reopening it
      }

      String secondSecret;
      try (RuntimeClient second = RuntimeClient.start(config)) {
        // without PROMPTWAY_WEBHOOK_SECRET each start generates its own secret
        secondSecret = second.runtime().platform().webhooks().signer().secret().text();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> completedIds(receiver).size() == REQUESTS);
        for (String id : ids) {
          JsonNode status = second.get("/async/requests/" + id).data();
          assertEquals("completed", status.path("status").asText(), id);
        }
      }

      Map<String, Set<String>> webhookIds = new HashMap<>();
      for (CallbackReceiver.Call call : receiver.calls()) {
        JsonNode hook = Json.mapper().readTree(call.body());
        assertEquals("request.completed", hook.path("type").asText());
        webhookIds
            .computeIfAbsent(hook.path("request_id").asText(), k -> new HashSet<>())
            .add(call.header("webhook-id"));
      }
      assertEquals(new HashSet<>(ids), webhookIds.keySet());
      for (var e : webhookIds.entrySet()) {
        assertEquals(Set.of("msg_" + e.getKey()), e.getValue(), "one webhook id per request");
      }
      // By signature, not by position: a delivery the first runtime had already written can
      // reach the receiver's list after the runtime closed.
      List<CallbackReceiver.Call> calls = receiver.calls();
      long byFirst = calls.stream().filter(c -> Signatures.valid(secret, c)).count();
      long bySecond = calls.stream().filter(c -> Signatures.valid(secondSecret, c)).count();
      assertEquals(calls.size(), byFirst + bySecond, "every webhook signed by its runtime");
      assertTrue(byFirst >= before, byFirst + " signed by the first runtime, " + before + " seen");
      assertTrue(bySecond > 0, "the second runtime delivered the requests left in flight");
    }
  }

  @Test
  void aCleanStopReleasesTheJobsItHeldSoTheNextStartTakesThemAtOnce(@TempDir Path dir)
      throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("state") + ";DB_CLOSE_DELAY=-1";
    Consumer<Map<String, Object>> config =
        o -> {
          o.put("state.jdbc_url", url);
          o.put("time_scale", 5);
          o.put("async.visibility_timeout", "1h"); // 12 minutes of real time
          o.put("async.workers", 1);
          o.put("async.concurrency_per_worker", 5);
        };
    try (CallbackReceiver receiver = new CallbackReceiver()) {
      List<String> ids = new ArrayList<>();
      try (RuntimeClient first = RuntimeClient.start(config)) {
        for (int i = 0; i < 5; i++) {
          var reply =
              first.post(
                  "/async/requests",
                  "{'prompt':'Held number "
                      + i
                      + "','model':'gpt-4o-mini','max_tokens':60,"
                      + "'callback_url':'"
                      + receiver.url("/hook")
                      + "'}");
          assertEquals(202, reply.status());
          ids.add(reply.data().path("request_id").asText());
        }
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(5))
            .until(
                () -> first.get("/async/queue").data().path("depth").path("in_flight").asInt() > 0);
      }
      try (Connection c = DriverManager.getConnection(url, "sa", "")) {
        c.createStatement().execute("SHUTDOWN");
      }

      assertTrue(completedIds(receiver).size() < ids.size(), "the stop found jobs held");
      try (RuntimeClient second = RuntimeClient.start(config)) {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> completedIds(receiver).size() == ids.size());
        for (String id : ids) {
          assertEquals(
              "completed", second.get("/async/requests/" + id).data().path("status").asText());
        }
      }
    }
  }

  private static Set<String> completedIds(CallbackReceiver receiver) {
    Set<String> out = new HashSet<>();
    for (CallbackReceiver.Call call : receiver.calls()) {
      try {
        out.add(Json.mapper().readTree(call.body()).path("request_id").asText());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }
}
