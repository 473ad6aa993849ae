package io.promptway.benchmarks;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;

/** A Helidon server on 127.0.0.1 and a free port with one POST route: a benchmark's stand-in. */
public final class LoopbackServer {
  private LoopbackServer() {}

  public static WebServer post(String path, Handler handler) {
    return WebServer.builder()
        .host("127.0.0.1")
        .port(0)
        .addRouting(HttpRouting.builder().post(path, handler))
        .build()
        .start();
  }
}
