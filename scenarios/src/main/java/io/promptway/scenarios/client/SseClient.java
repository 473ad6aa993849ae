package io.promptway.scenarios.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * {@code POST /sse/generate}: reads the {@code text/event-stream} as it arrives ({@code token},
 * {@code complete}, {@code error}); when the stream ends without a terminal event it resumes with
 * {@code GET /sse/streams/{id}} and {@code Last-Event-ID}, up to {@link #MAX_RECONNECTS} times. The
 * calling (virtual) thread reads the socket itself, over the replay's keep-alive pool ({@link
 * BlockingHttp}); the client's timeout bounds the whole stream, checked between reads, and each
 * read waits at most for the time left.
 */
public final class SseClient implements PatternClient {
  static final int MAX_RECONNECTS = 3;
  private static final Map<String, String> ACCEPT = Map.of("Accept", "text/event-stream");

  private final BlockingHttp http;
  private final URI base;

  public SseClient(BlockingHttp http, URI base) {
    this.http = http;
    this.base = base;
  }

  @Override
  public String pattern() {
    return "sse";
  }

  @Override
  public void generate(GenerationCall call, GenerationListener listener) {
    stream(base.resolve("/sse/generate"), call, listener, "sse", null);
  }

  /** Opens a stream; {@code left} bounds each read of its body. */
  private interface Opener {
    BlockingHttp.Streamed open(Duration left) throws IOException;
  }

  /**
   * POSTs the call to {@code uri} and reads the event stream to its end, resuming it when it drops.
   * {@code knownId} is the request id when the caller already has it (the hybrid router's stream
   * URL).
   */
  void stream(
      URI uri, GenerationCall call, GenerationListener listener, String servedBy, String knownId) {
    stream(
        left ->
            http.openPost(uri, call, Wire.body(call).put("stream", true), ACCEPT, left, listener),
        call,
        listener,
        servedBy,
        knownId);
  }

  private void stream(
      Opener first,
      GenerationCall call,
      GenerationListener listener,
      String servedBy,
      String knownId) {
    long deadline = System.nanoTime() + call.timeout().toNanos();
    StreamState state = new StreamState(knownId);
    Opener opener = first;
    int reconnects = 0;
    while (true) {
      Duration left = Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
      try (BlockingHttp.Streamed response = opener.open(left)) {
        if (response.status() != 200) {
          String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
          listener.onError(Wire.error(response.status(), body));
          return;
        }
        if (state.requestId == null) {
          state.requestId = response.requestId();
          if (state.requestId != null) listener.onAccepted(state.requestId);
        }
        if (read(response.body(), deadline, state, listener, servedBy, reconnects)) return;
      } catch (SocketTimeoutException e) {
        timedOut(listener, e.getMessage());
        return;
      } catch (IOException | RuntimeException e) {
        if (System.nanoTime() >= deadline) {
          timedOut(listener, "no completion in time");
          return;
        }
        if (state.requestId == null) {
          listener.onError(
              new ClientError(
                  ClientError.Kind.CONNECTION, 0, "CONNECTION", String.valueOf(e.getMessage())));
          return;
        }
      }
      if (System.nanoTime() >= deadline) {
        timedOut(listener, "no completion in time");
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
      URI resume = base.resolve("/sse/streams/" + state.requestId);
      Map<String, String> headers =
          state.lastEventId == null
              ? ACCEPT
              : Map.of("Accept", "text/event-stream", "Last-Event-ID", state.lastEventId);
      opener = timeout -> http.openGet(resume, call, headers, timeout);
    }
  }

  private static void timedOut(GenerationListener listener, String message) {
    listener.onError(
        new ClientError(ClientError.Kind.CLIENT_TIMEOUT, 0, "CLIENT_TIMEOUT", message));
  }

  /** Returns true when a terminal event was delivered. */
  private static boolean read(
      InputStream body,
      long deadline,
      StreamState state,
      GenerationListener listener,
      String servedBy,
      int reconnects)
      throws IOException {
    SseEventParser parser =
        new SseEventParser(event -> state.handle(event, listener, servedBy, reconnects));
    BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    String line;
    try {
      while (!state.done && (line = reader.readLine()) != null) {
        parser.line(line);
        if (!state.done && System.nanoTime() >= deadline) throw new SocketTimeoutException();
      }
    } catch (RuntimeException e) {
      throw BlockingHttp.asIOException(e);
    }
    return state.done;
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
          listener.onToken(data.path("seq").asInt(), t, data.path("at_ms").asDouble(Double.NaN));
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
