package io.promptway.runtime.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import io.promptway.runtime.http.HttpStatus;
import io.promptway.runtime.http.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Pass-through to a real OpenAI-compatible server (OpenAI, vLLM, Ollama): the request is forwarded
 * as sent, the answer relayed as received (status, Retry-After, body or stream), and the usage the
 * upstream reports is metered. Streams ask the upstream for a usage chunk so real usage is known.
 * The API key comes only from an environment variable, and is redacted from everything relayed
 * ({@link UpstreamSecrets}).
 */
public final class UpstreamForwarder {
  private final URI base;
  private final URI shown; // base without user-info, for messages
  private final String apiKey;
  private final UpstreamSecrets secrets;
  private final Duration timeout;
  private final HttpClient http;

  public UpstreamForwarder(URI base, String apiKey, Duration timeout) {
    String b = base.toString();
    this.base = URI.create(b.endsWith("/") ? b : b + "/");
    this.shown = UpstreamSecrets.withoutUserInfo(this.base);
    this.apiKey = apiKey;
    this.secrets = new UpstreamSecrets(apiKey);
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  public URI base() {
    return base;
  }

  /**
   * Forwards; calls {@code usage} with {prompt, completion} tokens once the upstream reports them.
   */
  public void forward(
      byte[] raw, ChatCompletionRequest request, ServerResponse res, Consumer<int[]> usage) {
    byte[] body = raw;
    if (request.stream()) {
      try {
        ObjectNode node = (ObjectNode) Json.mapper().readTree(raw);
        node.putObject("stream_options").put("include_usage", true);
        body = Json.mapper().writeValueAsBytes(node);
      } catch (IOException e) {
        throw new OpenAiError(400, "invalid_request_error", null, "request body is not valid JSON");
      }
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve("chat/completions"))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (apiKey != null && !apiKey.isBlank()) b.header("Authorization", "Bearer " + apiKey);
    HttpResponse<InputStream> upstream;
    try {
      upstream = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      throw new OpenAiError(
          504,
          "upstream_timeout",
          null,
          "upstream " + shown + " did not answer within " + timeout.toMillis() + " ms");
    } catch (IOException e) {
      throw new OpenAiError(
          502,
          "upstream_unreachable",
          null,
          "upstream " + shown + " is unreachable: " + secrets.redact(e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OpenAiError(503, "service_unavailable", null, "interrupted");
    }
    String type = upstream.headers().firstValue("Content-Type").orElse("application/json");
    try (InputStream in = upstream.body()) {
      if (upstream.statusCode() == 200 && type.startsWith("text/event-stream")) {
        answerAsUpstream(upstream, type, res);
        relayStream(in, res, usage);
      } else {
        byte[] bytes = in.readAllBytes();
        if (upstream.statusCode() == 200) readUsage(completion(bytes, type), usage);
        answerAsUpstream(upstream, type, res);
        res.send(secrets.redact(bytes));
      }
    } catch (IOException e) {
      if (!res.isSent())
        throw new OpenAiError(
            502,
            "upstream_error",
            null,
            "upstream failed mid-response: " + secrets.redact(e.getMessage()));
    }
  }

  private static void answerAsUpstream(
      HttpResponse<InputStream> upstream, String type, ServerResponse res) {
    res.status(HttpStatus.of(upstream.statusCode()));
    upstream.headers().firstValue("Retry-After").ifPresent(v -> res.header("Retry-After", v));
    res.header(HeaderNames.CONTENT_TYPE, type);
  }

  private JsonNode completion(byte[] body, String type) {
    try {
      return Json.mapper().readTree(body);
    } catch (IOException e) {
      throw new OpenAiError(
          502,
          "upstream_error",
          null,
          "upstream "
              + shown
              + " answered 200 with a body that is not JSON (Content-Type "
              + type
              + ")");
    }
  }

  private void relayStream(InputStream in, ServerResponse res, Consumer<int[]> usage)
      throws IOException {
    try (OutputStream out = res.outputStream();
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("data:")) {
          String data = line.substring(5).trim();
          if (!data.equals("[DONE]")) {
            try {
              readUsage(Json.mapper().readTree(data), usage);
            } catch (IOException ignored) {
              // a chunk we cannot parse is still relayed unchanged
            }
          }
        }
        out.write((secrets.redact(line) + "\n").getBytes(StandardCharsets.UTF_8));
        if (line.isEmpty()) out.flush();
      }
    }
  }

  private static void readUsage(JsonNode node, Consumer<int[]> usage) {
    JsonNode u = node.path("usage");
    if (u.isObject() && u.has("prompt_tokens")) {
      usage.accept(
          new int[] {u.path("prompt_tokens").asInt(), u.path("completion_tokens").asInt()});
    }
  }
}
