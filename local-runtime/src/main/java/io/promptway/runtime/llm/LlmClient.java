package io.promptway.runtime.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.runtime.gateway.ChatMessage;
import io.promptway.runtime.http.Json;
import io.promptway.runtime.http.Lazy;
import io.promptway.runtime.http.ModelCallHeaders;
import io.promptway.runtime.http.PlainHttpClient;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * How a function calls the model, blocking or streaming: over HTTP to an OpenAI-compatible
 * endpoint, exactly like a real function would, or to the embedded emulator in process ({@link
 * EmulatedModel}: the same answers, faults and bills without the loopback hop). Each call carries
 * the request id and pattern so the provider meters tokens against them. A blocking call goes
 * through {@link PlainHttpClient} on the caller's virtual thread, on kept-alive connections of its
 * own; a stream through the JDK's client, which a cancel can abort from another thread.
 *
 * <p>A blocking call reads without a socket timeout: every caller is a function, whose maximum
 * duration already bounds it (the function runtime interrupts the call, which closes the
 * connection). A socket timeout would make each read a timed park of the virtual thread, which
 * costs two wake-ups of the JDK's timer thread per read.
 *
 * <p>A call over HTTP that ends without the provider's answer (interrupted, cancelled, broken) is
 * hung up through the provider's {@link CallerHangUps} when the client has them, so the provider
 * stops generating and bills the output generated until then.
 */
public final class LlmClient implements AutoCloseable {
  private final Supplier<URI> base;
  private final Lazy<PlainHttpClient> connections =
      new Lazy<>(
          () ->
              new PlainHttpClient(
                  CONNECT_TIMEOUT_MILLIS, MAX_IDLE_CONNECTIONS, MAX_IDLE_NANOS, System::nanoTime));
  // Streams over HTTP use the JDK client: closing its body stream from another thread aborts the
  // connection at once, which is how a cancel stops the provider within one token.
  private final Lazy<HttpClient> streams =
      new Lazy<>(
          () ->
              HttpClient.newBuilder()
                  .version(HttpClient.Version.HTTP_1_1)
                  .connectTimeout(Duration.ofSeconds(10))
                  .build());
  private final TokenStreams tokenStreams;
  private final EmulatedModel emulator;
  private final CallerHangUps hangUps;

  /**
   * @param base the provider's {@code .../v1/} URL, resolved lazily (the server port is known only
   *     after start)
   */
  public LlmClient(Supplier<URI> base) {
    this(base, null);
  }

  /**
   * As {@link #LlmClient(Supplier)}, but calls go to {@code emulator} (the embedded emulator, in
   * process) instead of over HTTP when it is not null, except {@link #completeOverHttp}.
   */
  public LlmClient(Supplier<URI> base, EmulatedModel emulator) {
    this(base, emulator, null);
  }

  /**
   * As {@link #LlmClient(Supplier, EmulatedModel)}; calls over HTTP tell the provider through
   * {@code hangUps} (the provider's, or null) when they go away before its answer.
   */
  public LlmClient(Supplier<URI> base, EmulatedModel emulator, CallerHangUps hangUps) {
    this.base = base;
    this.emulator = emulator;
    this.hangUps = hangUps;
    this.tokenStreams = emulator != null ? emulator : this::streamOverHttp;
  }

  /** What came back: the text, token usage and why generation stopped. */
  public record Completion(
      String text, int promptTokens, int completionTokens, String finishReason) {}

  /** Receives streamed tokens; called on the calling thread, in order. */
  public interface TokenListener {
    /** The emit time of a token that came over HTTP: the stream does not say when it was due. */
    long UNSTAMPED = Long.MIN_VALUE;

    /**
     * @param emittedAtNanos the simulated instant ({@code SimulatedClock.nanos()}) the model
     *     emitted the token at: the emulator's planned instant for it, which a late wake-up of this
     *     machine does not move; {@link #UNSTAMPED} over HTTP, where the receiver stamps its
     *     arrival
     */
    void onToken(String text, long emittedAtNanos);
  }

  /** Lets another thread abort a streaming call; the provider then stops generating and billing. */
  public static final class Cancellation {
    private final AtomicReference<Runnable> abort = new AtomicReference<>();
    private volatile boolean cancelled;

    public void cancel() {
      cancelled = true;
      Runnable a = abort.get();
      if (a != null) a.run();
    }

    public boolean cancelled() {
      return cancelled;
    }

    /** On cancel, hangs up (the provider stops generating at once) and closes the stream. */
    void attach(InputStream in, Runnable hangUp) {
      onCancel(
          () -> {
            hangUp.run();
            try {
              in.close();
            } catch (IOException ignored) {
              // closing is best effort; the reader sees the cancel flag either way
            }
          });
    }

    /** Runs {@code action} on cancel (at once when already cancelled); replaces any earlier one. */
    void onCancel(Runnable action) {
      abort.set(action);
      if (cancelled) action.run();
    }
  }

  public Completion complete(Call call) {
    return emulator != null ? emulator.complete(call) : completeOverHttp(call);
  }

  /**
   * As {@link #complete}, but over HTTP even with the emulator in process: for a caller whose
   * contract is the real hop to the provider, as a function calling a hosted model makes it.
   */
  public Completion completeOverHttp(Call call) {
    CallerHangUps.Caller caller = hangUps == null ? null : hangUps.dial();
    PlainHttpClient.Response response;
    boolean answered = false;
    try {
      response = send(call, caller);
      answered = true;
    } finally {
      if (!answered) hangUp(caller);
    }
    if (response.status() != 200) {
      throw failure(response.status(), response.header("Retry-After"), response.body());
    }
    try {
      return CompletionBody.read(response.body());
    } catch (IOException e) {
      throw new LlmCallException(
          502, "BAD_UPSTREAM_RESPONSE", "the model returned an unreadable body", null);
    }
  }

  /**
   * Streams tokens to {@code listener}; returns the completion once the stream ends with {@code
   * [DONE]}. A stream that ends early fails with a retryable {@link LlmCallException}; a cancelled
   * one returns what arrived, with finish reason "cancelled".
   */
  public Completion stream(Call call, TokenListener listener, Cancellation cancellation) {
    return tokenStreams.stream(call, listener, cancellation);
  }

  private Completion streamOverHttp(Call call, TokenListener listener, Cancellation cancellation) {
    CallerHangUps.Caller caller = hangUps == null ? null : hangUps.dial();
    HttpResponse<InputStream> response;
    try {
      response = sendStreaming(call, caller);
    } catch (LlmCallException e) {
      hangUp(caller);
      throw e;
    }
    if (response.statusCode() != 200) {
      byte[] body;
      try (InputStream in = response.body()) {
        body = in.readAllBytes();
      } catch (IOException e) {
        body = new byte[0];
      }
      throw failure(
          response.statusCode(), response.headers().firstValue("Retry-After").orElse(null), body);
    }
    StringBuilder text = new StringBuilder();
    int tokens = 0;
    int promptTokens = 0;
    int reportedTokens = -1; // the usage chunk's completion_tokens: tokens, not chunks
    String finish = null;
    InputStream in = response.body();
    cancellation.attach(in, () -> hangUp(caller));
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.startsWith("data:")) continue;
        String data = line.substring(5).trim();
        if (data.equals("[DONE]")) {
          return new Completion(
              text.toString(),
              promptTokens,
              reportedTokens >= 0 ? reportedTokens : tokens,
              finish == null ? "stop" : finish);
        }
        JsonNode chunk = Json.mapper().readTree(data);
        JsonNode usage = chunk.path("usage");
        if (usage.isObject()) {
          promptTokens = usage.path("prompt_tokens").asInt(promptTokens);
          reportedTokens = usage.path("completion_tokens").asInt(reportedTokens);
        }
        JsonNode choice = chunk.path("choices").path(0);
        String content = choice.path("delta").path("content").asText("");
        if (!content.isEmpty()) {
          tokens++;
          text.append(content);
          listener.onToken(content, TokenListener.UNSTAMPED);
        }
        if (choice.hasNonNull("finish_reason")) finish = choice.get("finish_reason").asText();
        if (cancellation.cancelled()) break;
      }
    } catch (IOException | RuntimeException e) {
      hangUp(caller); // interrupted, or the read broke: this caller is gone either way
      if (!cancellation.cancelled()) {
        throw new LlmCallException(
            0,
            "STREAM_DROPPED",
            "the model stream broke after " + tokens + " tokens: " + e.getMessage(),
            null);
      }
    }
    if (cancellation.cancelled())
      return new Completion(text.toString(), promptTokens, tokens, "cancelled");
    throw new LlmCallException(
        0,
        "STREAM_DROPPED",
        "the model stream ended after " + tokens + " tokens without [DONE]",
        null);
  }

  private static void hangUp(CallerHangUps.Caller caller) {
    if (caller != null) caller.hangUp();
  }

  /** One call: who it is for (metering), what to send, and an optional forced fault for tests. */
  public record Call(
      String requestId,
      String pattern,
      String model,
      List<ChatMessage> messages,
      int maxTokens,
      double temperature,
      Duration timeout,
      String forcedFault) {}

  private HttpResponse<InputStream> sendStreaming(Call call, CallerHangUps.Caller caller) {
    var b =
        HttpRequest.newBuilder(base.get().resolve("chat/completions"))
            .timeout(call.timeout())
            .header("Content-Type", "application/json")
            .header(ModelCallHeaders.REQUEST_ID_NAME, call.requestId())
            .header(ModelCallHeaders.PATTERN_NAME, call.pattern())
            .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body(call, true))));
    if (call.forcedFault() != null) b.header(Fault.HEADER, call.forcedFault());
    if (caller != null) b.header(CallerHangUps.HEADER, caller.id());
    try {
      return streams.get().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      throw new LlmCallException(
          0,
          "LLM_TIMEOUT",
          "the model did not answer within " + call.timeout().toMillis() + " ms",
          null);
    } catch (IOException e) {
      throw new LlmCallException(
          0, "LLM_UNREACHABLE", "cannot reach the model provider: " + e.getMessage(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LlmCallException(0, "INTERRUPTED", "interrupted while calling the model", null);
    }
  }

  private static Map<String, Object> body(Call call, boolean stream) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", call.model());
    body.put("messages", call.messages());
    body.put("max_tokens", call.maxTokens());
    body.put("temperature", call.temperature());
    if (stream) {
      body.put("stream", true);
      body.put("stream_options", Map.of("include_usage", true));
    }
    return body;
  }

  private PlainHttpClient.Response send(Call call, CallerHangUps.Caller caller) {
    URI uri = base.get().resolve("chat/completions");
    List<String> headers = new ArrayList<>(10);
    Collections.addAll(
        headers,
        "Content-Type",
        "application/json",
        ModelCallHeaders.REQUEST_ID_NAME,
        call.requestId(),
        ModelCallHeaders.PATTERN_NAME,
        call.pattern());
    if (call.forcedFault() != null) Collections.addAll(headers, Fault.HEADER, call.forcedFault());
    if (caller != null) Collections.addAll(headers, CallerHangUps.HEADER, caller.id());
    try {
      return connections
          .get()
          .post(uri, Json.bytes(body(call, false)), headers.toArray(String[]::new));
    } catch (IOException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new LlmCallException(0, "INTERRUPTED", "interrupted while calling the model", null);
      }
      throw new LlmCallException(
          0, "LLM_UNREACHABLE", "cannot reach the model provider: " + e.getMessage(), null);
    }
  }

  private static LlmCallException failure(int status, String retryAfterText, byte[] body) {
    Duration retryAfter = null;
    if (retryAfterText != null) {
      try {
        retryAfter = Duration.ofSeconds(Long.parseLong(retryAfterText.trim()));
      } catch (NumberFormatException e) {
        // an HTTP date or garbage: no advice
      }
    }
    String message = "the model provider answered " + status;
    String code = "LLM_ERROR";
    try {
      JsonNode error = Json.mapper().readTree(body).path("error");
      if (error.has("message")) message = error.get("message").asText();
      // OpenAI's code says more than its type where it has one (model_not_found, not
      // invalid_request_error)
      JsonNode named = error.hasNonNull("code") ? error.get("code") : error.get("type");
      if (named != null && !named.isNull()) code = named.asText().toUpperCase(Locale.ROOT);
    } catch (IOException ignored) {
      // keep the generic message
    }
    return new LlmCallException(status, code, message, retryAfter);
  }

  /** Closes the idle connections to the provider; calls in flight close theirs when they end. */
  @Override
  public void close() {
    if (connections.isSet()) connections.get().close();
  }

  private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
  private static final int MAX_IDLE_CONNECTIONS = 256;
  private static final long MAX_IDLE_NANOS = Duration.ofSeconds(30).toNanos();
}
