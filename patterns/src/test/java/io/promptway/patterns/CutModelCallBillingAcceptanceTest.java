package io.promptway.patterns;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.patterns.support.RuntimeClient;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.metering.BillableUnit;
import io.promptway.runtime.webhook.CallbackReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One rule for a model call that the function's maximum duration cuts off, whatever the pattern and
 * however the call reaches the provider: the provider bills the input tokens and the output tokens
 * it generated until the cut, each attempt on its own. The model answers slowly and evenly (first
 * token after 1 s, then one every 2 s, 8 in all) and a function may run 10 s, so 5 tokens are due
 * by the cut, 1 s (200 ms real) from the nearest token either side.
 */
class CutModelCallBillingAcceptanceTest {
  private static final int TIME_SCALE = 5;
  private static final Duration TTFT = Duration.ofSeconds(1);
  private static final Duration GAP = Duration.ofSeconds(2);
  private static final int TOKENS = 8;
  private static final Duration MAX_DURATION = Duration.ofSeconds(10);
  private static final String PACED = "paced";
  private static final String GO = "{'prompt':'Answer slowly','model':'%s'}";

  /** The tokens due by the cut: the first after the ttft, each next one a gap later. */
  private static int dueByTheCut() {
    int due = 0;
    for (int i = 0; i < TOKENS; i++) {
      if (TTFT.plus(GAP.multipliedBy(i)).compareTo(MAX_DURATION) <= 0) due++;
    }
    return due;
  }

  @ParameterizedTest(name = "llm.in_process: {0}")
  @ValueSource(booleans = {true, false})
  void aCallCutByTheMaximumDurationIsBilledItsInputAndTheTokensGeneratedUntilTheCut(
      boolean inProcess) throws Exception {
    try (CallbackReceiver receiver = new CallbackReceiver();
        RuntimeClient client =
            RuntimeClient.start(
                o -> {
                  o.put("time_scale", TIME_SCALE);
                  o.put("function.max_duration", MAX_DURATION.toSeconds() + "s");
                  o.put("llm.in_process", inProcess); // sync goes over HTTP either way
                  o.put(
                      "llm.models." + PACED,
                      RuntimeFixture.model(
                          TTFT.toSeconds() + "s", GAP.toSeconds() + "s", TOKENS, null));
                  o.put("prices.llm." + PACED, Map.of("input", 1.0, "output", 2.0));
                  o.put("async.max_attempts", 2);
                  o.put("async.retry_base", "1s");
                  o.put("bus.max_attempts", 2);
                  o.put("bus.retry_base", "1s");
                  o.put("bus.processors.fast-processor.model", "instant");
                  o.put("bus.processors.standard-processor.model", PACED);
                });
        HttpClient http = HttpClient.newHttpClient()) {
      Patterns patterns = new Patterns(client, http, receiver.url("/hook"));
      patterns.warmUp(); // a cold first call reaches the provider late and is cut earlier

      CompletableFuture<String> sync = CompletableFuture.supplyAsync(patterns::sync);
      CompletableFuture<String> sse = CompletableFuture.supplyAsync(patterns::sse);
      CompletableFuture<String> ws = CompletableFuture.supplyAsync(patterns::webSocket);
      String async = patterns.async(PACED);
      String events = patterns.events(1);
      Map<String, String> ids =
          Map.of(
              "sync", sync.get(20, TimeUnit.SECONDS),
              "sse", sse.get(20, TimeUnit.SECONDS),
              "ws", ws.get(20, TimeUnit.SECONDS),
              "async", async,
              "events", events);
      patterns.awaitFailed("/async/requests/" + async);
      patterns.awaitFailed("/events/requests/" + events);

      int cut = dueByTheCut();
      assertTrue(0 < cut && cut < TOKENS, "the cut falls mid-answer");
      Map<String, List<Double>> expected = new TreeMap<>();
      for (String pattern : ids.keySet()) {
        int attempts = pattern.equals("async") || pattern.equals("events") ? 2 : 1;
        expected.put(pattern, new ArrayList<>());
        for (int a = 0; a < attempts; a++) expected.get(pattern).add((double) cut);
      }
      // and stays so once the whole answer would have been due: nothing bills the rest later
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(10))
          .until(() -> billed(client, ids, BillableUnit.LLM_OUTPUT_TOKEN), equalTo(expected));
      Map<String, List<Double>> input = billed(client, ids, BillableUnit.LLM_INPUT_TOKEN);
      for (String pattern : ids.keySet()) {
        assertEquals(expected.get(pattern).size(), input.get(pattern).size(), pattern);
        assertTrue(input.get(pattern).stream().allMatch(q -> q > 0), pattern + ": " + input);
      }
    }
  }

  /** Each pattern's records of {@code unit}, one per model call, in the order they were made. */
  private static Map<String, List<Double>> billed(
      RuntimeClient client, Map<String, String> ids, BillableUnit unit) {
    Map<String, List<Double>> out = new TreeMap<>();
    ids.forEach(
        (pattern, id) -> {
          List<Double> quantities = new ArrayList<>();
          for (JsonNode row : client.get("/requests/" + id).data().path("meter")) {
            if (row.path("component").asText().equals("llm")
                && row.path("unit").asText().equals(unit.priceKey()))
              quantities.add(row.path("quantity").asDouble());
          }
          out.put(pattern, quantities);
        });
    return out;
  }

  /** Requests to each pattern, each returning the request id once its client has its answer. */
  private record Patterns(RuntimeClient client, HttpClient http, String callback) {
    void warmUp() {
      sync("instant");
      sse("instant");
      webSocket("instant");
      awaitCompleted("/async/requests/" + async("instant"));
      awaitCompleted("/events/requests/" + events(9)); // the fast processor: instant
    }

    String sync() {
      return sync(PACED);
    }

    String sync(String model) {
      var reply = client.post("/sync/generate", GO.formatted(model));
      int want = model.equals(PACED) ? 502 : 200;
      assertEquals(want, reply.status(), reply.json().toString());
      return reply.headers().get("x-request-id");
    }

    String sse() {
      return sse(PACED);
    }

    /** Reads the stream to its end: an error event when the function was stopped. */
    String sse(String model) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(uri("/sse/generate"))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(GO.formatted(model).replace('\'', '"')))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        String last = model.equals(PACED) ? "event: error" : "event: complete";
        assertTrue(r.body().contains(last), r.body());
        return r.headers().firstValue("X-Request-Id").orElseThrow();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }

    String webSocket() {
      return webSocket(PACED);
    }

    /** Sends one generate message and waits for its complete or error message. */
    String webSocket(String model) {
      BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
      URI base = client.runtime().baseUri();
      WebSocket ws =
          http.newWebSocketBuilder()
              .buildAsync(
                  URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/ws/chat"),
                  new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(
                        WebSocket socket, CharSequence data, boolean last) {
                      partial.append(data);
                      if (last) {
                        try {
                          messages.add(Json.mapper().readTree(partial.toString()));
                        } catch (Exception e) {
                          throw new IllegalStateException(e);
                        }
                        partial.setLength(0);
                      }
                      socket.request(1);
                      return null;
                    }
                  })
              .join();
      try {
        ws.sendText(
                "{\"action\":\"generate\",\"prompt\":\"Answer slowly\",\"model\":\""
                    + model
                    + "\"}",
                true)
            .join();
        String id = null;
        while (true) {
          JsonNode m = messages.poll(20, TimeUnit.SECONDS);
          if (m == null) throw new AssertionError("no answer on the WebSocket");
          String type = m.path("type").asText();
          if (type.equals("accepted")) id = m.path("request_id").asText();
          if (type.equals("complete") || type.equals("error")) {
            assertEquals(model.equals(PACED) ? "error" : "complete", type, m.toString());
            return id;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      } finally {
        ws.abort();
      }
    }

    String async(String model) {
      var reply =
          client.post(
              "/async/requests",
              "{'prompt':'Answer slowly','model':'"
                  + model
                  + "','callback_url':'"
                  + callback
                  + "'}");
      assertEquals(202, reply.status(), reply.json().toString());
      return reply.data().path("request_id").asText();
    }

    /** A request to the events pattern; priority above 5 goes to the fast processor. */
    String events(int priority) {
      var reply =
          client.post(
              "/events/requests",
              "{'prompt':'Answer slowly','model':'instant','priority':" + priority + "}");
      assertEquals(202, reply.status(), reply.json().toString());
      return reply.data().path("request_id").asText();
    }

    void awaitCompleted(String statusPath) {
      awaitStatus(statusPath, "completed");
    }

    void awaitFailed(String statusPath) {
      awaitStatus(statusPath, "failed");
    }

    private void awaitStatus(String statusPath, String status) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> client.get(statusPath).data().path("status").asText(), equalTo(status));
    }

    private URI uri(String path) {
      return client.runtime().baseUri().resolve(path.substring(1));
    }
  }
}
