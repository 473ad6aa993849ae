package io.promptway.patterns.webhook;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.patterns.support.RuntimeClient;
import io.promptway.runtime.webhook.CallbackReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AsyncBatchWindowAcceptanceTest {
  private CallbackReceiver receiver;
  private RuntimeClient client;

  @BeforeEach
  void start() throws Exception {
    receiver = new CallbackReceiver();
    client =
        RuntimeClient.start(
            o -> {
              o.put("async.workers", 1);
              // 60 s simulated at time scale 100: 0.6 s real to gather the batch
              o.put("async.batch_window", "60s");
            });
  }

  @AfterEach
  void stop() {
    client.close();
    receiver.close();
  }

  @Test
  void requestsArrivingWithinTheWindowShareOneWorkerInvocation() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      var reply =
          client.post(
              "/async/requests",
              "{'prompt':'Summarise item "
                  + i
                  + "','model':'instant','callback_url':'"
                  + receiver.url("/hook")
                  + "'}");
      assertEquals(202, reply.status());
      ids.add(reply.data().path("request_id").asText());
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.calls().size() == 4);
    for (String id : ids) {
      await().atMost(Duration.ofSeconds(5)).until(() -> functionShares(id).size() == 2);
      // the intake's own invocation, then a quarter of the worker's one invocation for all four
      assertEquals(List.of(1.0, 0.25), functionShares(id), id);
    }
  }

  private List<Double> functionShares(String id) {
    List<Double> shares = new ArrayList<>();
    for (JsonNode row : client.get("/requests/" + id).data().path("meter")) {
      if (row.path("component").asText().equals("function")
          && row.path("unit").asText().contains("request")) {
        shares.add(row.path("quantity").asDouble());
      }
    }
    return shares;
  }
}
