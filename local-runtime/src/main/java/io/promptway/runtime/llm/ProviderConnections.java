package io.promptway.runtime.llm;

import io.helidon.common.tls.Tls;
import io.helidon.webclient.api.ClientConnection;
import io.helidon.webclient.api.ConnectionKey;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.TcpClientConnection;
import io.helidon.webclient.api.WebClient;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.LongSupplier;

/**
 * Keep-alive connections from the functions to the provider, reused last-in first-out. Helidon's
 * own connection cache watches every idle connection with a virtual thread doing timed one-byte
 * reads, to notice a server closing it; on this hop that watch cost as much CPU per call as the
 * call's own client side (benchmarks/RESULTS.md). The provider is this runtime's own server, which
 * closes only connections idle for minutes, so a connection idle longer than {@code maxIdleNanos}
 * is closed here instead of reused.
 */
final class ProviderConnections implements AutoCloseable {
  private static final List<String> HTTP_1_1 = List.of("http/1.1");
  private static final Tls NO_TLS = Tls.builder().enabled(false).build();

  private final WebClient client;
  private final int maxIdle;
  private final long maxIdleNanos;
  private final LongSupplier nanoTime;
  private final ConcurrentLinkedDeque<Idle> idle = new ConcurrentLinkedDeque<>();
  private volatile boolean closed;

  private record Idle(TcpClientConnection connection, long since) {}

  ProviderConnections(WebClient client, int maxIdle, long maxIdleNanos, LongSupplier nanoTime) {
    this.client = client;
    this.maxIdle = maxIdle;
    this.maxIdleNanos = maxIdleNanos;
    this.nanoTime = nanoTime;
  }

  /** A connected connection to {@code uri}'s host and port; released when its response is read. */
  ClientConnection borrow(URI uri) {
    long now = nanoTime.getAsLong();
    for (Idle i; (i = idle.pollFirst()) != null; ) {
      if (now - i.since() <= maxIdleNanos && i.connection().isConnected()) return i.connection();
      i.connection().closeResource();
    }
    var config = client.prototype();
    ConnectionKey key =
        ConnectionKey.create(
            uri.getScheme(),
            uri.getHost(),
            uri.getPort(),
            "https".equals(uri.getScheme()) ? config.tls() : NO_TLS,
            config.dnsResolver(),
            config.dnsAddressLookup(),
            Proxy.noProxy());
    return TcpClientConnection.create(client, key, HTTP_1_1, this::release, c -> {}).connect();
  }

  int idleCount() {
    return idle.size();
  }

  private boolean release(TcpClientConnection connection) {
    if (closed || !connection.isConnected() || idle.size() >= maxIdle) return false;
    idle.offerFirst(new Idle(connection, nanoTime.getAsLong()));
    return true;
  }

  @Override
  public void close() {
    closed = true;
    for (Idle i; (i = idle.pollFirst()) != null; ) i.connection().closeResource();
  }
}
