package io.promptway.runtime.llm;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.helidon.webserver.WebServer;
import io.promptway.runtime.function.FunctionRuntime;
import io.promptway.runtime.function.FunctionTimeoutException;
import io.promptway.runtime.gateway.ChatMessage;
import io.promptway.runtime.testing.InMemoryFunctions;
import io.promptway.runtime.testing.LoopbackRoute;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A model call has no socket timeout of its own: the function's maximum duration ends it. */
class StalledModelCallTest {
  private final CountDownLatch answer = new CountDownLatch(1);
  private final WebServer provider =
      LoopbackRoute.post(
          "/v1/chat/completions",
          (req, res) -> {
            answer.await(30, TimeUnit.SECONDS);
            res.send("{}");
          });
  private final InMemoryFunctions runtime = new InMemoryFunctions(Duration.ofMillis(300), 10);
  private final FunctionRuntime functions = runtime.functions();
  private final LlmClient llm =
      new LlmClient(() -> URI.create("http://127.0.0.1:" + provider.port() + "/v1/"));

  @AfterEach
  void stop() {
    answer.countDown();
    runtime.close();
    provider.stop();
  }

  @Test
  void aStalledCallIsStoppedAtTheFunctionsMaximumDuration() {
    var call =
        new LlmClient.Call(
            "r1",
            "sync",
            "instant",
            List.of(new ChatMessage("user", "hi")),
            16,
            0.7,
            Duration.ofSeconds(900),
            null);
    var invocation = functions.start("r1", "sync", inv -> llm.complete(call));

    ExecutionException failed =
        assertThrows(ExecutionException.class, () -> invocation.get(10, TimeUnit.SECONDS));
    assertInstanceOf(FunctionTimeoutException.class, failed.getCause());
    // the blocked read was interrupted, not left waiting for the provider
    await().atMost(Duration.ofSeconds(10)).until(() -> functions.running() == 0);
    assertEquals(1, answer.getCount(), "the provider never answered");
  }
}
