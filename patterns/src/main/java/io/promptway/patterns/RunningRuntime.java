package io.promptway.patterns;

import io.helidon.webserver.WebServer;
import io.promptway.runtime.gateway.GatewayStack;
import java.net.URI;
import java.util.List;

/** A started runtime: where it listens, its platform services, and how to stop it. */
public final class RunningRuntime implements AutoCloseable {
  private final WebServer server;
  private final Platform platform;
  private final List<Pattern> patterns;
  private final List<AutoCloseable> resources;
  private final URI baseUri;
  private final GatewayStack gateway;

  RunningRuntime(
      WebServer server,
      Platform platform,
      List<Pattern> patterns,
      List<AutoCloseable> resources,
      GatewayStack gateway) {
    this.gateway = gateway;
    this.server = server;
    this.platform = platform;
    this.patterns = patterns;
    this.resources = resources;
    String host = platform.config().server().host();
    if (host.contains(":")) host = "[" + host + "]";
    if (host.equals("0.0.0.0")) host = "127.0.0.1";
    this.baseUri = URI.create("http://" + host + ":" + server.port() + "/");
  }

  /** e.g. {@code http://127.0.0.1:8080/}, always with a trailing slash. */
  public URI baseUri() {
    return baseUri;
  }

  public int port() {
    return server.port();
  }

  public Platform platform() {
    return platform;
  }

  /** The gateway's production features: throttle, metrics, attributing meter. */
  public GatewayStack gateway() {
    return gateway;
  }

  /** Every route served: each pattern's, then the platform's. */
  public List<String> routes() {
    return PromptwayServer.routes(patterns);
  }

  public List<Pattern> patterns() {
    return patterns;
  }

  /** Stops the server, then the patterns' workers, then the services, in reverse start order. */
  @Override
  public void close() {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception ignored) {
        // keep closing the rest
      }
    }
  }
}
