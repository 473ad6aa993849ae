package io.promptway.runtime.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.runtime.config.RuntimeConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CorsPolicyTest {
  private final CorsPolicy policy =
      new CorsPolicy(
          new RuntimeConfig.Cors(
              List.of("https://app.example"),
              List.of("GET", "POST"),
              List.of("Content-Type", "x-api-key"),
              List.of("X-Request-Id"),
              Duration.ofMinutes(5),
              false));

  @Test
  void answersAnAllowedPreflightWithTheAllowHeaders() {
    var p = policy.preflight("https://app.example", "POST", "content-type, X-API-Key");
    assertTrue(p.allowed());
    assertEquals("https://app.example", p.headers().get("Access-Control-Allow-Origin"));
    assertEquals("GET, POST", p.headers().get("Access-Control-Allow-Methods"));
    assertEquals("300", p.headers().get("Access-Control-Max-Age"));
    assertEquals("Origin", p.headers().get("Vary"));
  }

  @Test
  void refusesUnknownOriginsMethodsAndHeaders() {
    assertFalse(policy.preflight("https://evil.example", "POST", null).allowed());
    assertFalse(policy.preflight("https://app.example", "DELETE", null).allowed());
    assertFalse(policy.preflight("https://app.example", "POST", "X-Custom").allowed());
  }

  @Test
  void aWildcardWithoutCredentialsAnswersStar() {
    var any =
        new CorsPolicy(
            new RuntimeConfig.Cors(
                List.of("*"), List.of("POST"), List.of(), List.of(), null, false));
    assertEquals("*", any.responseHeaders("http://x").get("Access-Control-Allow-Origin"));
    assertTrue(CorsPolicy.isPreflight("OPTIONS", "http://x", "POST"));
    assertFalse(CorsPolicy.isPreflight("OPTIONS", "http://x", null));
  }

  @Test
  void noOriginsMeansNoCors() {
    var off = new CorsPolicy(RuntimeConfig.Cors.DISABLED);
    assertFalse(off.enabled());
    assertTrue(off.responseHeaders("https://app.example").isEmpty());
  }
}
