package io.promptway.cli.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.scenarios.client.SseEvent;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code POST /sse/generate}: prints each {@code token} event as it arrives and finishes on {@code
 * complete}. When the stream drops before {@code complete}, it says so and resumes from the last
 * event id through {@code GET /sse/streams/{id}} with {@code Last-Event-ID} (up to {@value
 * #MAX_RESUMES} times). Cancelling closes the stream; the server streams on and bills to the end,
 * so a cancelled turn is priced once its request has ended.
 */
final class SseTransport implements ChatTransport {
  static final int MAX_RESUMES = 3;

  static final String NO_CANCEL =
      "the server streams on to the end and bills it (SSE has no cancel)";

  private final RuntimeHttp http;
  private final RequestLedger ledger;

  SseTransport(RuntimeHttp http) {
    this.http = http;
    this.ledger = new RequestLedger(http);
  }

  @Override
  public String pattern() {
    return "sse";
  }

  @Override
  public TurnResult failedBill(String requestId) throws InterruptedException {
    return ledger.failed(requestId);
  }

  @Override
  public ChatCall start(TurnRequest request, TokenListener listener) {
    HttpRequest post =
        http.post("/sse/generate", RuntimeHttp.body(request))
            .header("Accept", "text/event-stream")
            .build();
    return follow(post, null, listener);
  }

  /**
   * Streams the events of {@code first} (a POST or a GET of a stream URL) on a virtual thread.
   *
   * @param knownRequestId the request id when the caller already has it (hybrid's stream_url)
   */
  ChatCall follow(HttpRequest first, String knownRequestId, TokenListener listener) {
    CompletableFuture<TurnResult> result = new CompletableFuture<>();
    AtomicReference<InputStream> open = new AtomicReference<>();
    ChatCall call =
        new ChatCall(
            result,
            () -> {
              InputStream in = open.getAndSet(null);
              if (in != null) {
                try {
                  in.close();
                } catch (IOException ignored) {
                  // closing is the cancellation; nothing more to do
                }
              }
            },
            (c, wait) -> ledger.runsOn(c, wait, NO_CANCEL));
    call.requestId(knownRequestId);
    Thread.ofVirtual()
        .name("chat-sse")
        .start(
            () -> {
              try {
                result.complete(http.withCostFromLedger(stream(first, call, open, listener)));
              } catch (Exception e) {
                if (!result.isDone()) result.completeExceptionally(e);
              }
            });
    return call;
  }

  private TurnResult stream(
      HttpRequest first, ChatCall call, AtomicReference<InputStream> open, TokenListener listener)
      throws IOException, InterruptedException {
    StringBuilder text = new StringBuilder();
    String lastEventId = null;
    HttpRequest next = first;
    for (int attempt = 0; ; attempt++) {
      HttpResponse<InputStream> response =
          http.client().send(next, HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        String body;
        try (InputStream in = response.body()) {
          body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        throw RuntimeHttp.failure(response.statusCode(), RuntimeHttp.parse(body));
      }
      response
          .headers()
          .firstValue("X-Request-Id")
          .ifPresent(
              id -> {
                if (call.requestId() == null) call.requestId(id);
              });
      open.set(response.body());
      if (call.result().isDone()) response.body().close();
      SilenceWatch silence = new SilenceWatch(response.body(), http.answerLimit());
      try (silence;
          SseEventReader events = new SseEventReader(silence.stream())) {
        SseEvent event;
        while ((event = events.next()) != null) {
          if (event.id() != null) lastEventId = event.id();
          JsonNode data = event.data().isEmpty() ? null : RuntimeHttp.parse(event.data());
          switch (event.event()) {
            case "token" -> {
              String token = data.path("text").asText("");
              text.append(token);
              listener.onToken(token);
            }
            case "complete" -> {
              String id = data.path("request_id").asText(call.requestId());
              call.requestId(id);
              return RuntimeHttp.result(
                  id,
                  text.toString(),
                  data.path("finish_reason").asText(null),
                  data.get("usage"),
                  data.get("cost"));
            }
            case "error" -> throw RuntimeHttp.failure(0, data);
            default -> {}
          }
        }
      } catch (IOException e) {
        if (call.result().isDone()) throw e;
        if (silence.expired()) {
          throw new HttpTimeoutException(
              "the runtime sent nothing for " + http.answerLimit().toSeconds() + " s");
        }
      }
      if (call.result().isDone()) throw new IOException("cancelled");
      if (call.requestId() == null || attempt >= MAX_RESUMES) {
        throw new ChatTransportException("the stream ended before the reply was complete");
      }
      listener.onNotice(
          "stream dropped; resuming request "
              + call.requestId()
              + (lastEventId == null ? " from the start" : " after event " + lastEventId));
      HttpRequest.Builder resume =
          http.request("/sse/streams/" + call.requestId())
              .header("Accept", "text/event-stream")
              .GET();
      if (lastEventId != null) resume.header("Last-Event-ID", lastEventId);
      next = resume.build();
    }
  }
}
