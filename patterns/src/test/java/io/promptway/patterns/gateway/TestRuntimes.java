package io.promptway.patterns.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.patterns.PromptwayServer;
import io.promptway.patterns.RunningRuntime;
import io.promptway.runtime.config.ConfigLoader;
import io.promptway.runtime.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Starts the real runtime on 127.0.0.1:0 with an in-memory database and the zero-latency model. */
final class TestRuntimes {
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  private TestRuntimes() {}

  static RunningRuntime start(Map<String, Object> overrides) {
    Map<String, Object> o = new HashMap<>();
    o.put("server.host", "127.0.0.1");
    o.put("server.port", 0);
    o.put(
        "state.jdbc_url",
        "jdbc:h2:mem:gw" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
    o.put("llm.default_model", "instant");
    o.putAll(overrides);
    return PromptwayServer.start(new ConfigLoader().load(null, o));
  }

  static HttpResponse<String> post(RunningRuntime rt, String path, String body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(rt.baseUri().resolve(path.substring(1)))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) b.headers(headers);
    return send(b.build());
  }

  static HttpResponse<String> get(RunningRuntime rt, String path, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(rt.baseUri().resolve(path.substring(1)))
            .timeout(Duration.ofSeconds(20))
            .GET();
    if (headers.length > 0) b.headers(headers);
    return send(b.build());
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(HttpResponse<String> res) {
    try {
      return Json.mapper().readTree(res.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON (" + res.statusCode() + "): " + res.body(), e);
    }
  }

  static JsonNode readTree(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  static URI uri(RunningRuntime rt, String path) {
    return rt.baseUri().resolve(path.substring(1));
  }
}
