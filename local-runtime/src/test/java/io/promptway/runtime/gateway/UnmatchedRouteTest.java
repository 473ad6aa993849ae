package io.promptway.runtime.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UnmatchedRouteTest {
  private final UnmatchedRoute routes =
      new UnmatchedRoute(
          List.of(
              "POST /async/requests",
              "GET  /async/requests/{id}",
              "GET  /async/requests/{id}/deliveries",
              "DELETE /async/requests/{id}"));

  @Test
  void aPathParameterMatchesOneSegmentOnly() {
    assertEquals(List.of("GET", "DELETE"), List.copyOf(routes.allowed("/async/requests/req_1")));
    assertEquals(Set.of("GET"), routes.allowed("/async/requests/req_1/deliveries"));
    assertEquals(Set.of(), routes.allowed("/async/requests/a/b"));
    assertEquals(Set.of("POST"), routes.allowed("/async/requests"));
  }

  @Test
  void literalSegmentsAreNotPatterns() {
    UnmatchedRoute dotted = new UnmatchedRoute(List.of("GET /v1.0/models"));
    assertEquals(Set.of("GET"), dotted.allowed("/v1.0/models"));
    assertEquals(Set.of(), dotted.allowed("/v1x0/models"));
  }

  @Test
  void aNoteAfterThePathIsNotPartOfIt() {
    UnmatchedRoute ws = new UnmatchedRoute(List.of("GET  /ws/chat (WebSocket)"));
    assertEquals(Set.of("GET"), ws.allowed("/ws/chat"));
  }

  @Test
  void theAllowHeaderNamesOptionsOnce() {
    assertEquals(
        "GET, DELETE, OPTIONS", UnmatchedRoute.allowHeader(routes.allowed("/async/requests/x")));
    assertEquals(
        "POST, OPTIONS",
        UnmatchedRoute.allowHeader(new LinkedHashSet<>(List.of("POST", "OPTIONS"))));
  }

  @Test
  void aRouteWithoutAMethodAndPathIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new UnmatchedRoute(List.of("/health")));
  }
}
