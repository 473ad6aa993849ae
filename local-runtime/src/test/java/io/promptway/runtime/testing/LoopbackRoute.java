package io.promptway.runtime.testing;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;

/** A Helidon server on 127.0.0.1 and a free port with one POST route, started. */
public final class LoopbackRoute {
  private LoopbackRoute() {}

  public static WebServer post(String path, Handler handler) {
    return WebServer.builder()
        .host("127.0.0.1")
        .port(0)
        .routing(r -> r.post(path, handler))
        .build()
        .start();
  }
}
