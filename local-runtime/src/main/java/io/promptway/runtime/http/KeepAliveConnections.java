package io.promptway.runtime.http;

import io.helidon.common.tls.Tls;
import io.helidon.webclient.api.ClientConnection;
import io.helidon.webclient.api.ConnectionKey;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.TcpClientConnection;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.api.WebClientConfig;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientProtocolConfig;
import io.helidon.webclient.http1.Http1ClientRequest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Keep-alive HTTP/1.1 connections for the runtime's webhook deliveries (and the async benchmark's
 * clients), reused last-in first-out per host and port. Borrow one and send on it with {@link
 * #post}; reading the response to its end returns it here.
 *
 * <p>Helidon's own connection cache watches every idle connection with a virtual thread doing timed
 * one-byte reads, to notice a server closing it; on the sync path that watch cost as much CPU per
 * call as the call's own client side did (benchmarks/RESULTS.md). Here a connection idle longer
 * than {@code maxIdleNanos} (well inside any server's keep-alive timeout) is closed instead of
 * reused, and one the server closed is dropped when it is next borrowed.
 */
public final class KeepAliveConnections implements AutoCloseable {
  private static final List<String> HTTP_1_1 = List.of("http/1.1");
  private static final Tls NO_TLS = Tls.builder().enabled(false).build();

  private final WebClient client;
  // Requests go through the HTTP/1.1 client itself: the generic one works out each request's
  // protocol again, though every connection here speaks HTTP/1.1. Header checks are off: the
  // requests' headers are the runtime's own, and of a response's headers only its framing and
  // Retry-After are used (the checks were 0.9 % of a sync request's CPU when the model call took
  // this pool).
  private final Http1Client http1;
  private final IdleConnections<TcpClientConnection> idle;
  private volatile boolean closed;

  /**
   * A builder for the client to give the constructor. Its connections write without a buffer of
   * their own: a request leaves Helidon as one buffer of headers and body, which a connection's
   * write buffer would only copy, through a temporary array, before the one socket write.
   */
  public static WebClientConfig.Builder clientBuilder() {
    return WebClient.builder().writeBufferSize(0);
  }

  /**
   * @param client the client whose settings (TLS, DNS, connect timeout) new connections take; see
   *     {@link #clientBuilder()}
   * @param nanoTime the clock that ages idle connections (real time)
   */
  public KeepAliveConnections(
      WebClient client, int maxIdlePerHost, long maxIdleNanos, LongSupplier nanoTime) {
    this.client = client;
    this.http1 =
        client.client(
            Http1Client.PROTOCOL,
            Http1ClientProtocolConfig.builder()
                .validateRequestHeaders(false)
                .validateResponseHeaders(false)
                .build());
    this.idle =
        new IdleConnections<>(
            maxIdlePerHost,
            maxIdleNanos,
            nanoTime,
            TcpClientConnection::isConnected,
            TcpClientConnection::closeResource);
  }

  /** A connected connection to {@code uri}'s host and port; returned when its response is read. */
  public ClientConnection borrow(URI uri) {
    TcpClientConnection kept = idle.take(key(uri));
    return kept != null ? kept : connect(uri);
  }

  /**
   * A new connection to {@code uri}'s host and port, returned here when its response is read: for a
   * second try after a kept-alive one turned out closed by the server.
   */
  public ClientConnection connect(URI uri) {
    String key = key(uri);
    var config = client.prototype();
    ConnectionKey connectionKey =
        ConnectionKey.create(
            uri.getScheme(),
            uri.getHost(),
            port(uri),
            "https".equals(uri.getScheme()) ? config.tls() : NO_TLS,
            config.dnsResolver(),
            config.dnsAddressLookup(),
            Proxy.noProxy());
    return TcpClientConnection.create(
            client, connectionKey, HTTP_1_1, c -> release(key, c), c -> {})
        .connect();
  }

  /**
   * A POST to {@code uri} on {@code connection}, read without a socket timeout: a timed read parks
   * the virtual thread with a JDK timer armed and cancelled per read, so the caller bounds the call
   * instead (a function's maximum duration, a webhook's deadline). Without a proxy, as the
   * connection was made: otherwise the request asks the system's proxy selector on every call.
   */
  public Http1ClientRequest post(URI uri, ClientConnection connection) {
    return http1
        .post()
        .uri(uri)
        .connection(connection)
        .readTimeout(Duration.ZERO)
        .proxy(Proxy.noProxy());
  }

  /** Idle connections held, over all hosts. */
  public int idleCount() {
    return idle.size();
  }

  private boolean release(String key, TcpClientConnection connection) {
    if (closed || !connection.isConnected()) return false;
    return idle.keep(key, connection);
  }

  private static String key(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + ":" + port(uri);
  }

  private static int port(URI uri) {
    if (uri.getPort() != -1) return uri.getPort();
    return "https".equals(uri.getScheme()) ? 443 : 80;
  }

  @Override
  public void close() {
    closed = true;
    idle.closeAll();
  }
}
