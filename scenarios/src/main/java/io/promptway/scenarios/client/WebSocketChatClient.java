package io.promptway.scenarios.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * {@code GET /ws/chat}: opens a connection, sends one {@code generate} message, relays {@code
 * token} messages and closes after {@code complete} or {@code error}. Connection set-up counts in
 * the latency, as it does for a user opening the app.
 */
public final class WebSocketChatClient implements PatternClient {
  private final HttpClient http;
  private final URI base;

  public WebSocketChatClient(HttpClient http, URI base) {
    this.http = http;
    this.base = base;
  }

  @Override
  public String pattern() {
    return "websocket";
  }

  @Override
  public void generate(GenerationCall call, GenerationListener listener) {
    WebSocketSession session;
    try {
      session = WebSocketSession.open(http, base, call.headers(), call.timeout());
    } catch (CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      int status =
          cause instanceof WebSocketHandshakeException h ? h.getResponse().statusCode() : 0;
      listener.onError(
          status > 0
              ? ClientError.fromStatus(
                  status, "HANDSHAKE_" + status, String.valueOf(cause.getMessage()))
              : new ClientError(
                  ClientError.Kind.CONNECTION,
                  0,
                  "CONNECTION",
                  String.valueOf(cause.getMessage())));
      return;
    }
    // The first outcome wins; generate returns only after the listener has heard it.
    AtomicBoolean finished = new AtomicBoolean();
    CompletableFuture<Void> delivered = new CompletableFuture<>();
    Consumer<Runnable> finish =
        tell -> {
          if (!finished.compareAndSet(false, true)) return;
          try {
            tell.run();
          } finally {
            delivered.complete(null);
          }
        };
    listener.onSending();
    try (session) {
      session.generate(
          call,
          new GenerationListener() {
            @Override
            public void onAccepted(String requestId) {
              listener.onAccepted(requestId);
            }

            @Override
            public void onToken(int seq, String text, double emittedAtMs) {
              listener.onToken(seq, text, emittedAtMs);
            }

            @Override
            public void onComplete(Completion completion) {
              finish.accept(() -> listener.onComplete(completion));
            }

            @Override
            public void onError(ClientError error) {
              finish.accept(() -> listener.onError(error));
            }
          });
      delivered.get(call.timeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      finish.accept(
          () ->
              listener.onError(
                  new ClientError(
                      ClientError.Kind.CLIENT_TIMEOUT,
                      0,
                      "CLIENT_TIMEOUT",
                      "no completion in time")));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finish.accept(
          () ->
              listener.onError(
                  new ClientError(
                      ClientError.Kind.CLIENT_TIMEOUT, 0, "INTERRUPTED", "interrupted")));
    } catch (Exception e) {
      finish.accept(
          () ->
              listener.onError(
                  new ClientError(
                      ClientError.Kind.CONNECTION,
                      0,
                      "CONNECTION",
                      String.valueOf(e.getMessage()))));
    }
  }
}
