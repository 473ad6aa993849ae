package io.promptway.patterns.gateway;

import static io.promptway.patterns.gateway.TestRuntimes.get;
import static io.promptway.patterns.gateway.TestRuntimes.json;
import static io.promptway.patterns.gateway.TestRuntimes.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.patterns.RunningRuntime;
import io.promptway.runtime.gateway.GatewayLog;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.observability.PrometheusTextParser;
import io.promptway.runtime.store.NewRequest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class GatewayAcceptanceTest {
  private static final String PROMPT = "{\"prompt\":\"hello there\",\"max_tokens\":8}";

  @Test
  void everyAnswerCarriesTheRequestIdTheAccessLogNamesErrorsIncluded() {
    List<String> logged = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            logged.add(r.getMessage());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger access = Logger.getLogger(GatewayLog.ACCESS_LOGGER);
    access.addHandler(capture);
    try (RunningRuntime rt = TestRuntimes.start(Map.of())) {
      List<HttpResponse<String>> answers =
          List.of(
              post(rt, "/sync/generate", "{\"prompt\":\"\"}"),
              post(rt, "/sync/nowhere", PROMPT),
              get(rt, "/sync/generate"),
              get(rt, "/health"));
      for (HttpResponse<String> res : answers) {
        String id = res.headers().firstValue("X-Request-Id").orElse(null);
        assertTrue(id != null && id.startsWith("req_"), res.statusCode() + " " + res.headers());
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> logged.stream().anyMatch(l -> l.contains("\"request_id\":\"" + id)));
      }
      assertEquals(
          List.of(400, 404, 405, 200), answers.stream().map(HttpResponse::statusCode).toList());
    } finally {
      access.removeHandler(capture);
    }
  }

  @Test
  void aThrottledRequestGets429WithRetryAfterAndRateLimitHeadersAndIsNotBilled() {
    try (RunningRuntime rt =
        TestRuntimes.start(
            Map.of("gateway.throttle.steady_rps", 0.01, "gateway.throttle.burst", 2))) {
      HttpResponse<String> first = post(rt, "/sync/generate", PROMPT);
      assertEquals(200, first.statusCode(), first.body());
      assertEquals(
          "2",
          first.headers().firstValue("X-RateLimit-Limit").orElseThrow(),
          "the limit is the bucket's size (burst), what Remaining counts down from");
      assertEquals("1", first.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
      assertEquals(200, post(rt, "/sync/generate", PROMPT).statusCode());
      int meterRowsBefore = rt.platform().meter().totals().size();
      double usdBefore = totalUsd(rt);

      HttpResponse<String> throttled = post(rt, "/sync/generate", PROMPT);

      assertEquals(429, throttled.statusCode());
      long retryAfter = Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow());
      assertTrue(retryAfter >= 99 && retryAfter <= 100, "retry after " + retryAfter);
      assertEquals("0", throttled.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
      assertTrue(throttled.headers().firstValue("X-RateLimit-Reset").isPresent());
      assertTrue(throttled.headers().firstValue("X-Request-Id").orElseThrow().startsWith("req_"));
      JsonNode env = json(throttled);
      assertFalse(env.path("success").asBoolean());
      assertEquals("THROTTLED", env.at("/error/code").asText());
      assertEquals(retryAfter, env.at("/error/details/retry_after_seconds").asLong());
      assertEquals(meterRowsBefore, rt.platform().meter().totals().size());
      assertEquals(usdBefore, totalUsd(rt), 0.0, "a throttled request is not billed");
      var metrics = PrometheusTextParser.parse(get(rt, "/metrics").body());
      assertEquals(
          1,
          metrics
              .get("promptway_gateway_rejections_total")
              .sum("promptway_gateway_rejections_total", Map.of("reason", "throttled")));
    }
  }

  @Test
  void apiKeysAuthenticateAndNameTheCallerInTheLifecycleAndMetrics() {
    try (RunningRuntime rt =
        TestRuntimes.start(
            Map.of(
                "gateway.api_keys.required", true,
                "gateway.api_keys.keys",
                    List.of(Map.of("name", "mobile-app", "key", "k-3f9a2b7c1d")),
                "gateway.usage_plans", Map.of()))) {
      HttpResponse<String> missing = post(rt, "/sync/generate", PROMPT);
      assertEquals(403, missing.statusCode());
      assertEquals("MISSING_API_KEY", json(missing).at("/error/code").asText());
      HttpResponse<String> wrong = post(rt, "/sync/generate", PROMPT, "x-api-key", "k-wrong");
      assertEquals(403, wrong.statusCode());
      assertEquals("INVALID_API_KEY", json(wrong).at("/error/code").asText());
      assertFalse(wrong.body().contains("k-wrong"), "the key is never echoed");

      HttpResponse<String> ok = post(rt, "/sync/generate", PROMPT, "x-api-key", "k-3f9a2b7c1d");
      assertEquals(200, ok.statusCode(), ok.body());
      String id = json(ok).at("/metadata/request_id").asText();
      JsonNode lifecycle = json(get(rt, "/requests/" + id, "x-api-key", "k-3f9a2b7c1d"));
      assertEquals(
          "mobile-app", lifecycle.at("/data/request/caller").asText(), lifecycle.toString());

      assertEquals(200, get(rt, "/health").statusCode(), "operational routes need no key");
      var metrics = PrometheusTextParser.parse(get(rt, "/metrics").body());
      assertEquals(
          1,
          metrics
              .get("promptway_http_requests_total")
              .sum(
                  "promptway_http_requests_total",
                  Map.of("caller", "mobile-app", "status", "200", "pattern", "sync")));
      assertEquals(
          1,
          metrics
              .get("promptway_http_requests_total")
              .sum(
                  "promptway_http_requests_total",
                  Map.of("caller", "platform", "status", "200", "pattern", "llm")),
          "the function's own model call is the platform's, not an anonymous caller's");
      assertTrue(
          metrics
                  .get("promptway_llm_tokens_total")
                  .sum(
                      "promptway_llm_tokens_total",
                      Map.of("caller", "mobile-app", "pattern", "sync"))
              > 0,
          "tokens are attributed to the key's name");
      assertTrue(
          metrics
                  .get("promptway_cost_usd_total")
                  .sum("promptway_cost_usd_total", Map.of("caller", "mobile-app"))
              > 0);
      assertEquals(
          2,
          metrics
              .get("promptway_gateway_rejections_total")
              .sum("promptway_gateway_rejections_total", Map.of("reason", "forbidden")));
    }
  }

  @Test
  void anEncodedOrDotSegmentSpellingOfAPatternPathIsGatedLikeThePlainOne() throws Exception {
    try (RunningRuntime rt =
        TestRuntimes.start(
            Map.of(
                "gateway.api_keys.required", true,
                "gateway.api_keys.keys", List.of(Map.of("name", "ci", "key", "ci-secret-key-123")),
                "gateway.usage_plans", Map.of()))) {
      for (String path :
          List.of(
              "/sync/generate",
              "/%73ync/generate",
              "//sync/generate",
              "/./sync/generate",
              "/x/../sync/generate",
              "/sync/%67enerate")) {
        String answer = TestRuntimes.rawPost(rt, path, PROMPT);
        assertTrue(answer.startsWith("HTTP/1.1 403"), path + ": " + answer);
        assertTrue(answer.contains("MISSING_API_KEY"), path + ": " + answer);
      }
      for (String path : List.of("/%zzync/generate", "/sync/generate%", "/%2e%2e/sync/generate")) {
        String answer = TestRuntimes.rawPost(rt, path, PROMPT);
        assertFalse(
            answer.startsWith("HTTP/1.1 5") || answer.startsWith("HTTP/1.1 200"),
            path + ": " + answer);
      }
      String keyed =
          TestRuntimes.rawPost(rt, "/%73ync/generate", PROMPT, "x-api-key: ci-secret-key-123");
      assertTrue(keyed.startsWith("HTTP/1.1 200"), keyed);
      var metrics = PrometheusTextParser.parse(get(rt, "/metrics").body());
      assertEquals(
          0,
          metrics
              .get("promptway_http_requests_total")
              .sum(
                  "promptway_http_requests_total",
                  Map.of("caller", "anonymous", "status", "200", "pattern", "sync")),
          "nothing reached the pattern unauthenticated");
    }
  }

  @Test
  void aKeyCannotReadAnotherKeysRequestNorBillItsPolls() {
    try (RunningRuntime rt =
        TestRuntimes.start(
            Map.of(
                "gateway.api_keys.keys",
                    List.of(
                        Map.of("name", "bob", "key", "k-bob-secret-1"),
                        Map.of("name", "dave", "key", "k-dave-secret-2")),
                "gateway.usage_plans", Map.of()))) {
      String bob = "k-bob-secret-1";
      String dave = "k-dave-secret-2";
      String hook =
          "{\"prompt\":\"hi\",\"model\":\"instant\",\"callback_url\":\"http://127.0.0.1:9/hook\"}";
      String sync =
          json(post(rt, "/sync/generate", PROMPT, "x-api-key", bob))
              .at("/metadata/request_id")
              .asText();
      String async =
          json(post(rt, "/async/requests", hook, "x-api-key", bob)).at("/data/request_id").asText();
      String events =
          json(post(rt, "/events/requests", hook, "x-api-key", bob))
              .at("/data/request_id")
              .asText();
      HttpResponse<String> stream = post(rt, "/sse/generate", PROMPT, "x-api-key", bob);
      String sse = stream.headers().firstValue("X-Request-Id").orElseThrow();
      List<String> paths =
          List.of(
              "/requests/" + sync,
              "/async/requests/" + async,
              "/async/requests/" + async + "/deliveries",
              "/events/requests/" + events,
              "/sse/streams/" + sse);
      for (String path : paths)
        assertEquals(200, get(rt, path, "x-api-key", bob).statusCode(), "the owner reads " + path);
      Map<String, Integer> billed = new java.util.HashMap<>();
      for (String id : List.of(sync, async, events, sse))
        billed.put(id, rt.platform().meter().records(id).size());

      for (String path : paths) {
        HttpResponse<String> foreign = get(rt, path, "x-api-key", dave);
        assertEquals(404, foreign.statusCode(), path + ": " + foreign.body());
        assertFalse(foreign.body().contains("\"text\""), foreign.body());
        assertEquals(404, get(rt, path).statusCode(), "nor an anonymous caller: " + path);
      }
      for (String id : List.of(sync, async, events, sse))
        assertEquals(
            billed.get(id),
            rt.platform().meter().records(id).size(),
            "another caller's polls bill the owner's request nothing: " + id);
    }
  }

  @Test
  void withoutApiKeysEveryAnonymousCallerStillReadsEveryRequest() {
    try (RunningRuntime rt = TestRuntimes.start(Map.of())) {
      String id = json(post(rt, "/sync/generate", PROMPT)).at("/metadata/request_id").asText();
      assertEquals(200, get(rt, "/requests/" + id).statusCode());
    }
  }

  @Test
  void aKeyOverItsDailyBudgetIsRefusedWithBudgetExceeded() {
    try (RunningRuntime rt =
        TestRuntimes.start(
            Map.of(
                "gateway.api_keys.keys",
                    List.of(Map.of("name", "intern", "key", "k-intern-123", "plan", "tiny")),
                "gateway.usage_plans",
                    Map.of(
                        "tiny",
                        Map.of(
                            "steady_rps",
                            0,
                            "burst",
                            0,
                            "quota_per_day",
                            0,
                            "budget_usd_per_day",
                            1e-9))))) {
      assertEquals(
          200, post(rt, "/sync/generate", PROMPT, "x-api-key", "k-intern-123").statusCode());
      HttpResponse<String> refused =
          post(rt, "/sync/generate", PROMPT, "x-api-key", "k-intern-123");
      assertEquals(429, refused.statusCode());
      assertEquals("BUDGET_EXCEEDED", json(refused).at("/error/code").asText());
      assertTrue(refused.headers().firstValue("Retry-After").isPresent());
      assertEquals(
          200, post(rt, "/sync/generate", PROMPT).statusCode(), "anonymous callers have no budget");
    }
  }

  @Test
  void corsPreflightsAreAnsweredByTheGateway() {
    try (RunningRuntime rt =
        TestRuntimes.start(
            Map.of("gateway.cors.allowed_origins", List.of("https://app.example")))) {
      HttpResponse<String> preflight =
          TestRuntimes.send(
              HttpRequest.newBuilder(TestRuntimes.uri(rt, "/sync/generate"))
                  .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                  .header("Origin", "https://app.example")
                  .header("Access-Control-Request-Method", "POST")
                  .header("Access-Control-Request-Headers", "content-type, x-api-key")
                  .build());
      assertEquals(204, preflight.statusCode());
      assertEquals(
          "https://app.example",
          preflight.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
      assertTrue(
          preflight
              .headers()
              .firstValue("Access-Control-Allow-Methods")
              .orElseThrow()
              .contains("POST"));
      assertTrue(
          preflight
              .headers()
              .firstValue("Access-Control-Allow-Headers")
              .orElseThrow()
              .contains("x-api-key"));
      assertTrue(preflight.headers().firstValue("Access-Control-Max-Age").isPresent());

      HttpResponse<String> foreign =
          TestRuntimes.send(
              HttpRequest.newBuilder(TestRuntimes.uri(rt, "/sync/generate"))
                  .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                  .header("Origin", "https://evil.example")
                  .header("Access-Control-Request-Method", "POST")
                  .build());
      assertEquals(403, foreign.statusCode());
      assertTrue(foreign.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
      assertEquals("CORS_REJECTED", json(foreign).at("/error/code").asText());

      HttpResponse<String> actual =
          post(rt, "/sync/generate", PROMPT, "Origin", "https://app.example");
      assertEquals(200, actual.statusCode());
      assertEquals(
          "https://app.example",
          actual.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
      assertTrue(
          actual
              .headers()
              .firstValue("Access-Control-Expose-Headers")
              .orElseThrow()
              .contains("X-Request-Id"));
    }
  }

  @Test
  void dataTraceLogsRedactedTruncatedBodiesAndTheAccessLogNeverLogsBodies() throws Exception {
    List<String> trace = new CopyOnWriteArrayList<>();
    List<String> access = new CopyOnWriteArrayList<>();
    Logger traceLog = Logger.getLogger("io.promptway.gateway.datatrace");
    Logger accessLog = Logger.getLogger("io.promptway.gateway.access");
    Handler traceHandler = collect(trace);
    Handler accessHandler = collect(access);
    traceLog.addHandler(traceHandler);
    accessLog.addHandler(accessHandler);
    try (RunningRuntime rt =
        TestRuntimes.start(
            Map.of(
                "gateway.data_trace.enabled",
                true,
                "gateway.data_trace.prompt_chars",
                12,
                "gateway.api_keys.keys",
                List.of(Map.of("name", "tracer", "key", "k-trace-secret-77"))))) {
      String prompt = "TOP-SECRET-PROMPT-" + "x".repeat(300) + " whsec_c2VjcmV0c2VjcmV0c2VjcmV0";
      HttpResponse<String> res =
          post(
              rt,
              "/sync/generate",
              Json.text(Map.of("prompt", prompt, "max_tokens", 8)),
              "x-api-key",
              "k-trace-secret-77",
              "Authorization",
              "Bearer sk-livekey-0123456789");
      assertEquals(200, res.statusCode());
      String id = res.headers().firstValue("X-Request-Id").orElseThrow();
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> trace.size() >= 2 && !access.isEmpty());

      List<JsonNode> ours =
          trace.stream()
              .map(TestRuntimes::readTree)
              .filter(n -> n.path("request_id").asText().equals(id))
              .toList();
      assertEquals(2, ours.size(), trace.toString());
      JsonNode request = ours.get(0);
      JsonNode response = ours.get(1);
      assertEquals(id, request.path("request_id").asText());
      assertEquals("request", request.path("direction").asText());
      assertEquals("response", response.path("direction").asText());
      assertTrue(
          request.at("/body/prompt").asText().startsWith("TOP-SECRET-P..."), request.toString());
      assertEquals(8, request.at("/body/max_tokens").asInt());
      assertTrue(response.at("/body/data/text").isTextual(), response.toString());
      String all = String.join("\n", trace) + String.join("\n", access);
      assertFalse(all.contains("k-trace-secret-77"), all);
      assertFalse(all.contains("sk-livekey"), all);
      assertFalse(all.contains("whsec_c2Vj"), all);
      assertFalse(all.contains("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"), "prompts are truncated");

      JsonNode line =
          access.stream()
              .map(TestRuntimes::readTree)
              .filter(n -> n.path("request_id").asText().equals(id))
              .findFirst()
              .orElseThrow();
      assertEquals("access", line.path("log").asText());
      assertEquals(200, line.path("status").asInt());
      assertEquals("tracer", line.path("caller").asText());
      assertEquals("sync", line.path("pattern").asText());
      assertFalse(line.has("body"));
    } finally {
      traceLog.removeHandler(traceHandler);
      accessLog.removeHandler(accessHandler);
    }
  }

  @Test
  void dataTraceIsOffByDefault() {
    List<String> trace = new CopyOnWriteArrayList<>();
    Logger traceLog = Logger.getLogger("io.promptway.gateway.datatrace");
    Handler h = collect(trace);
    traceLog.addHandler(h);
    try (RunningRuntime rt = TestRuntimes.start(Map.of())) {
      assertEquals(200, post(rt, "/sync/generate", PROMPT).statusCode());
      assertTrue(trace.isEmpty());
    } finally {
      traceLog.removeHandler(h);
    }
  }

  @Test
  void healthReportsTheDatabaseAndTheTimeScaleAndMetricsHaveTheGauges() {
    try (RunningRuntime rt = TestRuntimes.start(Map.of("time_scale", 25))) {
      HttpResponse<String> res = get(rt, "/health");
      assertEquals(200, res.statusCode());
      JsonNode h = json(res);
      assertEquals("up", h.path("status").asText());
      assertEquals(25.0, h.path("time_scale").asDouble());
      assertEquals("up", h.at("/checks/h2/status").asText());
      assertTrue(h.path("patterns").isArray());
      assertEquals("up", json(get(rt, "/health/live")).path("status").asText());
      assertEquals(200, get(rt, "/health/ready").statusCode());
      HttpResponse<String> head =
          TestRuntimes.send(
              HttpRequest.newBuilder(TestRuntimes.uri(rt, "/health"))
                  .method("HEAD", HttpRequest.BodyPublishers.noBody())
                  .build());
      assertEquals(200, head.statusCode(), "a probe may ask with HEAD");
      assertEquals("", head.body());
      var metrics = PrometheusTextParser.parse(get(rt, "/metrics").body());
      assertEquals(25, metrics.get("promptway_time_scale").value("promptway_time_scale", Map.of()));
      assertTrue(
          metrics.get("promptway_queue_depth").samples().size() >= 2,
          "the async queue and its dead-letter queue report their depth");
      assertTrue(metrics.containsKey("promptway_state_rows"));
      assertEquals(
          0,
          metrics
              .get("promptway_open_streams")
              .value("promptway_open_streams", Map.of("pattern", "sse")));
      assertEquals(
          0,
          metrics
              .get("promptway_open_sessions")
              .value("promptway_open_sessions", Map.of("pattern", "websocket")));
    }
  }

  @Test
  void expiredRequestStateIsSweptOnScheduleAndCounted() {
    try (RunningRuntime rt =
        TestRuntimes.start(
            Map.of("time_scale", 1000, "state.ttl", "2s", "state.cleanup_interval", "1s"))) {
      rt.platform()
          .store()
          .create(new NewRequest("req_ttl_test", "sync", "instant", "anonymous", Map.of(), 5));
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  PrometheusTextParser.parse(get(rt, "/metrics").body())
                          .get("promptway_state_expired_total")
                          .value("promptway_state_expired_total", Map.of())
                      >= 1);
      assertEquals(0, rt.platform().store().count());
    }
  }

  @Test
  void oversizedHeadersAndBodiesGetEnvelopedRefusals() {
    try (RunningRuntime rt =
        TestRuntimes.start(
            Map.of("gateway.max_payload_bytes", 4096, "gateway.max_header_bytes", 2048))) {
      HttpResponse<String> big =
          post(rt, "/sync/generate", "{\"prompt\":\"" + "a".repeat(10_000) + "\"}");
      assertEquals(413, big.statusCode(), big.body());
      assertEquals("PAYLOAD_TOO_LARGE", json(big).at("/error/code").asText());
      assertEquals(4096, json(big).at("/error/details/limit_bytes").asLong(), big.body());
      assertTrue(
          big.headers().firstValue("X-Request-Id").orElse("").startsWith("req_"),
          big.headers().map().toString());
      String metrics = get(rt, "/metrics").body();
      assertTrue(
          metrics.contains("reason=\"payload_too_large\""),
          "the transport's refusal is counted: " + metrics);
      HttpResponse<String> headers =
          post(rt, "/sync/generate", PROMPT, "X-Filler", "h".repeat(4000));
      assertEquals(431, headers.statusCode(), headers.body());
      assertEquals("HEADERS_TOO_LARGE", json(headers).at("/error/code").asText());
      assertEquals(200, post(rt, "/sync/generate", PROMPT).statusCode());
    }
  }

  @Test
  void aBodilessPostToAGetOnlyRouteGets405NotAComplaintAboutTheBody() {
    try (RunningRuntime rt = TestRuntimes.start(Map.of())) {
      for (String path : new String[] {"/metering/totals", "/requests/req_123", "/health"}) {
        HttpResponse<String> r =
            TestRuntimes.send(
                HttpRequest.newBuilder(TestRuntimes.uri(rt, path))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build());
        assertEquals(405, r.statusCode(), path + ": " + r.body());
        assertEquals("METHOD_NOT_ALLOWED", json(r).at("/error/code").asText(), path);
      }
      HttpResponse<String> provider =
          TestRuntimes.send(
              HttpRequest.newBuilder(TestRuntimes.uri(rt, "/llm/v1/chat/completions"))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build());
      assertEquals(400, provider.statusCode(), provider.body());
      assertEquals(
          "invalid_request_error",
          json(provider).at("/error/type").asText(),
          "the provider answers in OpenAI's error shape: " + provider.body());
    }
  }

  @Test
  void aKnownPathAskedWithTheWrongMethodGets405NamingTheMethodsItAnswers() {
    try (RunningRuntime rt = TestRuntimes.start(Map.of())) {
      HttpResponse<String> wrong = get(rt, "/sync/generate");
      assertEquals(405, wrong.statusCode(), wrong.body());
      assertEquals(
          "POST, OPTIONS",
          wrong.headers().firstValue("Allow").orElseThrow(),
          "a 405 and OPTIONS list the same methods");
      assertEquals("METHOD_NOT_ALLOWED", json(wrong).at("/error/code").asText());
      assertEquals(
          "/sync/generate answers POST, not GET", json(wrong).at("/error/message").asText());
      HttpResponse<String> withId = post(rt, "/requests/req_123", "{}");
      assertEquals(405, withId.statusCode(), withId.body());
      assertEquals("GET, OPTIONS", withId.headers().firstValue("Allow").orElseThrow());
      HttpResponse<String> options =
          TestRuntimes.send(
              HttpRequest.newBuilder(TestRuntimes.uri(rt, "/sync/generate"))
                  .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                  .build());
      assertEquals(204, options.statusCode(), options.body());
      assertEquals("POST, OPTIONS", options.headers().firstValue("Allow").orElseThrow());
      HttpResponse<String> unknown = post(rt, "/sync/generat", PROMPT);
      assertEquals(404, unknown.statusCode(), unknown.body());
      assertEquals(
          "route POST /sync/generat not found", json(unknown).at("/error/message").asText());
    }
  }

  private static double totalUsd(RunningRuntime rt) {
    return rt.platform().meter().totals().stream().mapToDouble(t -> t.usd()).sum();
  }

  private static Handler collect(List<String> into) {
    return new Handler() {
      @Override
      public void publish(LogRecord record) {
        into.add(record.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }
}
