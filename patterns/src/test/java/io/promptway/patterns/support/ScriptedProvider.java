package io.promptway.patterns.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * An OpenAI-compatible upstream on 127.0.0.1:0 whose answer to call n (1-based) is scripted: a
 * status code; 200 returns a small completion, anything else an OpenAI error body.
 */
public final class ScriptedProvider implements AutoCloseable {
  private final HttpServer server;
  private final AtomicInteger calls = new AtomicInteger();

  public ScriptedProvider(IntFunction<Integer> status) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/v1/chat/completions",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          int code = status.apply(calls.incrementAndGet());
          String body =
              code == 200
                  ? "{\"id\":\"x\",\"object\":\"chat.completion\",\"model\":\"instant\",\"choices\":[{\"index\":0,"
                      + "\"message\":{\"role\":\"assistant\",\"content\":\"Scripted answer.\"},"
                      + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,"
                      + "\"total_tokens\":7}}"
                  : "{\"error\":{\"message\":\"scripted "
                      + code
                      + "\",\"type\":\"scripted_error\"}}";
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          if (code == 429) exchange.getResponseHeaders().add("Retry-After", "1");
          exchange.sendResponseHeaders(code, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
  }

  /** The {@code llm.upstream} setting that points the runtime here. */
  public String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/";
  }

  public int calls() {
    return calls.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
