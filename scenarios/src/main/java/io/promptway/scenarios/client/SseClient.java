package io.promptway.scenarios.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /sse/generate}: reads the {@code text/event-stream} as it arrives ({@code token},
 * {@code complete}, {@code error}); when the stream ends without a terminal event it resumes with
 * {@code GET /sse/streams/{id}} and {@code Last-Event-ID}, up to {@link #MAX_RECONNECTS} times.
 */
public final class SseClient implements PatternClient {
  static final int MAX_RECONNECTS = 3;

  private final HttpClient http;
  private final URI base;

  public SseClient(HttpClient http, URI base) {
    this.http = http;
    this.base = base;
  }

  @Override
  public String pattern() {
    return "sse";
  }

  @Override
  public void generate(GenerationCall call, GenerationListener listener) {
    HttpRequest request =
        Wire.request(base.resolve("/sse/generate"), call)
            .header("Content-Type", "application/json")
            .header("Accept", "text/event-stream")
            .POST(Wire.json(Wire.body(call).put("stream", true), listener))
            .build();
    stream(request, call, listener, "sse", null);
  }

  /**
   * Reads one event stream to its end, resuming it when it drops. {@code knownId} is the request id
   * when the caller already has it (the hybrid router's stream URL).
   */
  void stream(
      HttpRequest first,
      GenerationCall call,
      GenerationListener listener,
      String servedBy,
      String knownId) {
    long deadline = System.nanoTime() + call.timeout().toNanos();
    StreamState state = new StreamState(knownId);
    HttpRequest request = first;
    int reconnects = 0;
    while (true) {
      try {
        HttpResponse<InputStream> response =
            http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
          String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
          listener.onError(Wire.error(response.statusCode(), body));
          return;
        }
        if (state.requestId == null) {
          state.requestId = response.headers().firstValue("X-Request-Id").orElse(null);
          if (state.requestId != null) listener.onAccepted(state.requestId);
        }
        Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
        if (read(response.body(), left, state, listener, servedBy, reconnects)) return;
      } catch (HttpTimeoutException e) {
        listener.onError(
            new ClientError(ClientError.Kind.CLIENT_TIMEOUT, 0, "CLIENT_TIMEOUT", e.getMessage()));
        return;
      } catch (IOException e) {
        if (System.nanoTime() >= deadline) {
          listener.onError(
              new ClientError(
                  ClientError.Kind.CLIENT_TIMEOUT, 0, "CLIENT_TIMEOUT", "no completion in time"));
          return;
        }
        if (state.requestId == null) {
          listener.onError(
              new ClientError(
                  ClientError.Kind.CONNECTION, 0, "CONNECTION", String.valueOf(e.getMessage())));
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        listener.onError(
            new ClientError(ClientError.Kind.CLIENT_TIMEOUT, 0, "INTERRUPTED", "interrupted"));
        return;
      }
      if (state.requestId == null || reconnects >= MAX_RECONNECTS) {
        listener.onError(
            new ClientError(
                ClientError.Kind.DROPPED,
                0,
                "STREAM_DROPPED",
                "the stream ended without a completion after " + reconnects + " reconnects"));
        return;
      }
      reconnects++;
      HttpRequest.Builder resume =
          Wire.request(base.resolve("/sse/streams/" + state.requestId), call)
              .header("Accept", "text/event-stream")
              .GET();
      if (state.lastEventId != null) resume.header("Last-Event-ID", state.lastEventId);
      request = resume.build();
    }
  }

  /** Returns true when a terminal event was delivered. */
  private static boolean read(
      InputStream body,
      Duration left,
      StreamState state,
      GenerationListener listener,
      String servedBy,
      int reconnects)
      throws IOException {
    CompletableFuture.runAsync(
        () -> closeQuietly(body),
        CompletableFuture.delayedExecutor(left.toNanos(), TimeUnit.NANOSECONDS));
    SseEventParser parser =
        new SseEventParser(event -> state.handle(event, listener, servedBy, reconnects));
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String line;
      while (!state.done && (line = reader.readLine()) != null) parser.line(line);
    }
    return state.done;
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // the stream is being abandoned
    }
  }

  private static final class StreamState {
    String requestId;
    String lastEventId;
    final StringBuilder text = new StringBuilder();
    boolean done;

    StreamState(String requestId) {
      this.requestId = requestId;
    }

    void handle(SseEvent event, GenerationListener listener, String servedBy, int reconnects) {
      if (done) return;
      JsonNode data = Wire.parse(event.data());
      switch (event.event()) {
        case "token" -> {
          if (event.id() != null) lastEventId = event.id();
          String t = data.path("text").asText("");
          text.append(t);
          listener.onToken(data.path("seq").asInt(), t);
        }
        case "complete" -> {
          done = true;
          if (requestId == null) requestId = data.path("request_id").asText(null);
          Completion c = Wire.completion(requestId, data, data, servedBy, text.toString());
          listener.onComplete(c.withServedBy(c.servedBy(), reconnects));
        }
        case "error" -> {
          done = true;
          listener.onError(
              ClientError.fromCode(data.path("code").asText(""), data.path("message").asText("")));
        }
        default -> {}
      }
    }
  }
}
