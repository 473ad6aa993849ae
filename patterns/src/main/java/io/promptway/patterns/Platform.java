package io.promptway.patterns;

import io.promptway.runtime.bus.InProcessEventBus;
import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.config.RuntimeConfig;
import io.promptway.runtime.db.Database;
import io.promptway.runtime.function.FunctionRuntime;
import io.promptway.runtime.gateway.ApiGateway;
import io.promptway.runtime.gateway.ChatMessage;
import io.promptway.runtime.gateway.ConnectionGate;
import io.promptway.runtime.gateway.GenerationRequest;
import io.promptway.runtime.gateway.RequestValidator;
import io.promptway.runtime.llm.LlmClient;
import io.promptway.runtime.metering.Meter;
import io.promptway.runtime.observability.RuntimeMetrics;
import io.promptway.runtime.queue.MessageQueues;
import io.promptway.runtime.store.RequestStore;
import io.promptway.runtime.webhook.WebhookDispatcher;
import java.util.List;

/**
 * The emulated platform services every pattern is built from, passed to each pattern's constructor.
 * {@code connections} is the gateway for work on WebSocket connections; {@code metrics} takes the
 * gauges a pattern reports (open streams, sessions, queue depth).
 */
public record Platform(
    RuntimeConfig config,
    SimulatedClock clock,
    Database database,
    RequestStore store,
    Meter meter,
    ApiGateway gateway,
    ConnectionGate connections,
    FunctionRuntime functions,
    LlmClient llm,
    RequestValidator validator,
    MessageQueues queues,
    WebhookDispatcher webhooks,
    InProcessEventBus bus,
    RuntimeMetrics metrics) {

  /** A function's call to the model: it may take as long as the function may run (in real time). */
  public LlmClient.Call modelCall(
      String requestId,
      String pattern,
      String model,
      List<ChatMessage> messages,
      int maxTokens,
      double temperature) {
    return new LlmClient.Call(
        requestId,
        pattern,
        model,
        messages,
        maxTokens,
        temperature,
        clock.toReal(config.function().maxDuration()),
        null);
  }

  /** As {@link #modelCall(String, String, String, List, int, double)}, for a validated request. */
  public LlmClient.Call modelCall(String requestId, String pattern, GenerationRequest g) {
    return modelCall(requestId, pattern, g.model(), g.messages(), g.maxTokens(), g.temperature());
  }
}
