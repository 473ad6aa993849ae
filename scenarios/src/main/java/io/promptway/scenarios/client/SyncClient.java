package io.promptway.scenarios.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;

/** {@code POST /sync/generate}: one request, one envelope; nothing is seen before it is done. */
public final class SyncClient implements PatternClient {
  private final HttpClient http;
  private final URI base;

  public SyncClient(HttpClient http, URI base) {
    this.http = http;
    this.base = base;
  }

  @Override
  public String pattern() {
    return "sync";
  }

  @Override
  public void generate(GenerationCall call, GenerationListener listener) {
    try {
      HttpResponse<String> response =
          http.send(
              Wire.request(base.resolve("/sync/generate"), call)
                  .header("Content-Type", "application/json")
                  .POST(Wire.json(Wire.body(call), listener))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        listener.onError(Wire.error(response.statusCode(), response.body()));
        return;
      }
      JsonNode envelope = Wire.parse(response.body());
      JsonNode metadata = envelope.path("metadata");
      String id =
          metadata
              .path("request_id")
              .asText(response.headers().firstValue("X-Request-Id").orElse(""));
      listener.onComplete(Wire.completion(id, envelope.path("data"), metadata, "sync", null));
    } catch (HttpTimeoutException e) {
      listener.onError(
          new ClientError(ClientError.Kind.CLIENT_TIMEOUT, 0, "CLIENT_TIMEOUT", e.getMessage()));
    } catch (IOException e) {
      listener.onError(
          new ClientError(
              ClientError.Kind.CONNECTION, 0, "CONNECTION", String.valueOf(e.getMessage())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      listener.onError(
          new ClientError(ClientError.Kind.CLIENT_TIMEOUT, 0, "INTERRUPTED", "interrupted"));
    }
  }
}
