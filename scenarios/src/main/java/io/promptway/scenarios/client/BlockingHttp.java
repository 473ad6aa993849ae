package io.promptway.scenarios.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Plain request/response calls for the pattern clients, on Helidon's blocking HTTP/1.1 client: the
 * calling (virtual) thread does the I/O itself over a private keep-alive connection pool, with no
 * selector thread or completion stages in between. Failures come back as {@link IOException}: a
 * {@link SocketTimeoutException} when the response did not arrive within the call's timeout (the
 * read timeout of each socket read; a response body that trickles could outlast it), any other
 * {@link IOException} when the connection could not be made or broke. Server-sent event streams are
 * read through {@link #openPost} and {@link #openGet}; WebSocket sessions do not go through here.
 */
public final class BlockingHttp implements AutoCloseable {
  /** Idle keep-alive connections kept per target; more may be open while requests overlap. */
  private static final int IDLE_CONNECTIONS = 4_096;

  private final Http1Client client;

  private BlockingHttp(Http1Client client) {
    this.client = client;
  }

  public static BlockingHttp create() {
    return new BlockingHttp(
        Http1Client.builder()
            .connectTimeout(Duration.ofSeconds(10))
            .keepAlive(true)
            .followRedirects(false)
            .shareConnectionCache(false)
            .connectionCacheSize(IDLE_CONNECTIONS)
            .build());
  }

  /** A status and the body as text. */
  public record Reply(int status, String body, String requestId) {}

  /**
   * POSTs {@code body} as JSON with the call's headers; {@code listener.onSending()} (if not null)
   * runs when the request is handed to the client, just before it takes a pooled connection.
   */
  public Reply post(URI uri, GenerationCall call, JsonNode body, GenerationListener listener)
      throws IOException {
    byte[] bytes = Wire.JSON.writeValueAsBytes(body);
    Http1ClientRequest request = request(client.post(), uri, call);
    request.header(HeaderNames.CONTENT_TYPE, "application/json");
    if (listener != null) listener.onSending();
    try (HttpClientResponse response = request.submit(bytes)) {
      return reply(response);
    } catch (RuntimeException e) {
      throw asIOException(e);
    }
  }

  public Reply get(URI uri, GenerationCall call) throws IOException {
    try (HttpClientResponse response = request(client.get(), uri, call).request()) {
      return reply(response);
    } catch (RuntimeException e) {
      throw asIOException(e);
    }
  }

  /** A GET with a fixed timeout and no scenario headers, for the runtime's own endpoints. */
  public Reply get(URI uri, Duration timeout) throws IOException {
    try (HttpClientResponse response = client.get().uri(uri).readTimeout(timeout).request()) {
      return reply(response);
    } catch (RuntimeException e) {
      throw asIOException(e);
    }
  }

  /**
   * A response whose body is read as it arrives (an event stream). Closing it before the end drops
   * the connection instead of returning it to the pool.
   */
  public record Streamed(
      int status, String requestId, InputStream body, HttpClientResponse response)
      implements AutoCloseable {
    @Override
    public void close() {
      response.close();
    }
  }

  /**
   * POSTs {@code body} as JSON and returns once the response headers are in; each read of the body
   * waits at most {@code readTimeout}.
   */
  public Streamed openPost(
      URI uri,
      GenerationCall call,
      JsonNode body,
      Map<String, String> headers,
      Duration readTimeout,
      GenerationListener listener)
      throws IOException {
    byte[] bytes = Wire.JSON.writeValueAsBytes(body);
    Http1ClientRequest request = request(client.post(), uri, call).readTimeout(readTimeout);
    request.header(HeaderNames.CONTENT_TYPE, "application/json");
    headers.forEach((k, v) -> request.header(HeaderNames.create(k), v));
    if (listener != null) listener.onSending();
    try {
      return streamed(request.submit(bytes));
    } catch (RuntimeException e) {
      throw asIOException(e);
    }
  }

  /** A GET whose response body is read as it arrives; see {@link #openPost}. */
  public Streamed openGet(
      URI uri, GenerationCall call, Map<String, String> headers, Duration readTimeout)
      throws IOException {
    Http1ClientRequest request = request(client.get(), uri, call).readTimeout(readTimeout);
    headers.forEach((k, v) -> request.header(HeaderNames.create(k), v));
    try {
      return streamed(request.request());
    } catch (RuntimeException e) {
      throw asIOException(e);
    }
  }

  private static Streamed streamed(HttpClientResponse response) {
    return new Streamed(
        response.status().code(),
        response.headers().first(HeaderNames.create("X-Request-Id")).orElse(null),
        response.inputStream(),
        response);
  }

  private static Http1ClientRequest request(Http1ClientRequest r, URI uri, GenerationCall call) {
    r.uri(uri).readTimeout(call.timeout());
    call.headers().forEach((k, v) -> r.header(HeaderNames.create(k), v));
    return r;
  }

  private static Reply reply(HttpClientResponse response) {
    byte[] body = response.entity().hasEntity() ? response.as(byte[].class) : new byte[0];
    return new Reply(
        response.status().code(),
        new String(body, StandardCharsets.UTF_8),
        response.headers().first(HeaderNames.create("X-Request-Id")).orElse(null));
  }

  /**
   * Helidon reports I/O failures (also while a body is read) as unchecked exceptions; this restores
   * the checked cause.
   */
  public static IOException asIOException(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException timeout) return timeout;
    }
    if (e instanceof UncheckedIOException io) return io.getCause();
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof IOException io) return io;
    }
    if (e.getClass().getName().startsWith("io.helidon")) return new IOException(e.getMessage(), e);
    throw e;
  }

  @Override
  public void close() {
    client.closeResource();
  }
}
