package io.promptway.scenarios.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;

/**
 * {@code POST /generate}, the hybrid router: follows whichever way it answers — a result (200), an
 * accepted request to wait for (202, with a callback and polling), or a stream URL to read as
 * server-sent events. The completion says which pattern served it.
 */
public final class HybridClient implements PatternClient {
  private final HttpClient http;
  private final URI base;
  private final CallbackReceiver receiver;
  private final SseClient sse;
  private final QueuedClient queued;

  public HybridClient(HttpClient http, URI base, CallbackReceiver receiver) {
    this.http = http;
    this.base = base;
    this.receiver = receiver;
    this.sse = new SseClient(http, base);
    this.queued = new QueuedClient(http, base, "async", receiver);
  }

  @Override
  public String pattern() {
    return "hybrid";
  }

  @Override
  public void generate(GenerationCall call, GenerationListener listener) {
    CallbackReceiver.Registration registration =
        receiver == null ? null : receiver.register(call.rejectFirstCallback());
    try {
      var body = Wire.body(call);
      if (registration != null) body.put("callback_url", registration.url().toString());
      HttpResponse<String> response =
          http.send(
              Wire.request(base.resolve("/generate"), call)
                  .header("Content-Type", "application/json")
                  .POST(Wire.json(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      int status = response.statusCode();
      if (status != 200 && status != 202) {
        listener.onError(Wire.error(status, response.body()));
        return;
      }
      JsonNode envelope = Wire.parse(response.body());
      JsonNode data = envelope.path("data");
      String servedBy =
          "hybrid/" + data.path("routing").path("pattern").asText(status == 202 ? "async" : "sync");
      String id =
          envelope.path("metadata").path("request_id").asText(data.path("request_id").asText(null));
      if (data.hasNonNull("stream_url")) {
        sse.stream(
            Wire.request(base.resolve(data.get("stream_url").asText()), call)
                .header("Accept", "text/event-stream")
                .GET()
                .build(),
            call,
            listener,
            servedBy,
            id);
      } else if (status == 202) {
        listener.onAccepted(id);
        URI statusUri = base.resolve(data.path("status_url").asText("/async/requests/" + id));
        queued.await(
            call,
            listener,
            id,
            statusUri,
            registration == null ? null : registration.result(),
            servedBy);
      } else {
        listener.onComplete(Wire.completion(id, data, envelope.path("metadata"), servedBy, null));
      }
    } catch (IOException e) {
      listener.onError(
          new ClientError(
              ClientError.Kind.CONNECTION, 0, "CONNECTION", String.valueOf(e.getMessage())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      listener.onError(
          new ClientError(ClientError.Kind.CLIENT_TIMEOUT, 0, "INTERRUPTED", "interrupted"));
    } finally {
      if (registration != null) receiver.forget(registration.token());
    }
  }
}
