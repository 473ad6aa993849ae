package io.promptway.scenarios.library;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.patterns.hybrid.HybridRouter;
import io.promptway.runtime.config.ConfigLoader;
import io.promptway.runtime.gateway.ChatMessage;
import io.promptway.runtime.gateway.GenerationRequest;
import io.promptway.scenarios.model.Scenario;
import io.promptway.scenarios.model.ScenarioReader;
import io.promptway.scenarios.workload.PlannedRequest;
import io.promptway.scenarios.workload.WorkloadPlanner;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The library's api-integrations scenario asks about a router configured for its traffic. */
class ApiIntegrationsScenarioTest {
  @Test
  void theHybridRouterItConfiguresServesNearlyAllQuickLookupsSynchronously() {
    Scenario s = ScenarioReader.read(Path.of("library/api-integrations.yaml"));
    HybridRouter router =
        new HybridRouter(new ConfigLoader().load(null, s.runtimeOverrides()).hybrid());
    List<PlannedRequest> quick =
        WorkloadPlanner.plan(s).stream().filter(r -> r.requestClass().equals("quick")).toList();
    long sync =
        quick.stream().filter(r -> router.route(request(r)).pattern().equals("sync")).count();
    assertTrue(
        sync >= quick.size() * 0.9,
        sync + " of " + quick.size() + " quick lookups routed sync by the scenario's own router");
  }

  private static GenerationRequest request(PlannedRequest r) {
    return new GenerationRequest(
        List.of(ChatMessage.user(r.prompt())),
        "gpt-4o",
        r.maxTokens(),
        1.0,
        "http://127.0.0.1/callback",
        r.priority(),
        r.userTier(),
        null,
        null,
        r.interactive());
  }
}
