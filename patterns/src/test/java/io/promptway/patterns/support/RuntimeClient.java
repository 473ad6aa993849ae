package io.promptway.patterns.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.patterns.PromptwayServer;
import io.promptway.patterns.RunningRuntime;
import io.promptway.runtime.config.ConfigLoader;
import io.promptway.runtime.config.RuntimeConfig;
import io.promptway.runtime.http.Json;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/** Starts a runtime on 127.0.0.1:0 with config overrides and talks JSON to it. */
public final class RuntimeClient implements AutoCloseable {
  private final RunningRuntime runtime;
  private final HttpClient http = HttpClient.newHttpClient();

  public RuntimeClient(RunningRuntime runtime) {
    this.runtime = runtime;
  }

  /** Test defaults: port 0, a fresh in-memory database, time scale 100, quiet webhooks. */
  public static Map<String, Object> defaults() {
    Map<String, Object> o = new HashMap<>();
    o.put("server.port", 0);
    o.put("time_scale", 100);
    o.put("state.jdbc_url", "jdbc:h2:mem:async-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    o.put("queue.receive_wait", "2s");
    return o;
  }

  public static RuntimeClient start(Consumer<Map<String, Object>> tweak) {
    Map<String, Object> o = defaults();
    tweak.accept(o);
    RuntimeConfig config = new ConfigLoader().load(null, o);
    return new RuntimeClient(PromptwayServer.start(config));
  }

  public RunningRuntime runtime() {
    return runtime;
  }

  /** A response: status, headers' first values and the parsed JSON body. */
  public record Reply(int status, Map<String, String> headers, JsonNode json) {
    public JsonNode data() {
      return json.path("data");
    }
  }

  public Reply post(String path, String json) {
    return send(
        HttpRequest.newBuilder(runtime.baseUri().resolve(path.substring(1)))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json.replace('\'', '"')))
            .build());
  }

  public Reply get(String path) {
    return send(HttpRequest.newBuilder(runtime.baseUri().resolve(path.substring(1))).GET().build());
  }

  private Reply send(HttpRequest request) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(request, (k, v) -> true)
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      Map<String, String> headers = new HashMap<>();
      r.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
      JsonNode body =
          r.body().isEmpty() ? Json.mapper().nullNode() : Json.mapper().readTree(r.body());
      return new Reply(r.statusCode(), headers, body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    runtime.close();
  }
}
