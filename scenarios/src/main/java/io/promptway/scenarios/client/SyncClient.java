package io.promptway.scenarios.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;

/** {@code POST /sync/generate}: one request, one envelope; nothing is seen before it is done. */
public final class SyncClient implements PatternClient {
  private final BlockingHttp http;
  private final URI base;

  public SyncClient(BlockingHttp http, URI base) {
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
      BlockingHttp.Reply response =
          http.post(base.resolve("/sync/generate"), call, Wire.body(call), listener);
      if (response.status() != 200) {
        listener.onError(Wire.error(response.status(), response.body()));
        return;
      }
      JsonNode envelope = Wire.parse(response.body());
      JsonNode metadata = envelope.path("metadata");
      String id =
          metadata
              .path("request_id")
              .asText(response.requestId() == null ? "" : response.requestId());
      listener.onComplete(Wire.completion(id, envelope.path("data"), metadata, "sync", null));
    } catch (SocketTimeoutException e) {
      listener.onError(
          new ClientError(ClientError.Kind.CLIENT_TIMEOUT, 0, "CLIENT_TIMEOUT", e.getMessage()));
    } catch (IOException e) {
      listener.onError(
          new ClientError(
              ClientError.Kind.CONNECTION, 0, "CONNECTION", String.valueOf(e.getMessage())));
    }
  }
}
