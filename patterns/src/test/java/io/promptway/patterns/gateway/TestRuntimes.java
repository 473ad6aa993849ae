package io.promptway.patterns.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.patterns.PromptwayServer;
import io.promptway.patterns.RunningRuntime;
import io.promptway.runtime.config.ConfigLoader;
import io.promptway.runtime.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Starts the real runtime on 127.0.0.1:0 with an in-memory database and the zero-latency model. */
final class TestRuntimes {
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  private TestRuntimes() {}

  static RunningRuntime start(Map<String, Object> overrides) {
    Map<String, Object> o = new HashMap<>();
    o.put("server.host", "127.0.0.1");
    o.put("server.port", 0);
    o.put(
        "state.jdbc_url",
        "jdbc:h2:mem:gw" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
    o.put("llm.default_model", "instant");
    o.putAll(overrides);
    return PromptwayServer.start(new ConfigLoader().load(null, o));
  }

  static HttpResponse<String> post(RunningRuntime rt, String path, String body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(rt.baseUri().resolve(path.substring(1)))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) b.headers(headers);
    return send(b.build());
  }

  static HttpResponse<String> get(RunningRuntime rt, String path, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(rt.baseUri().resolve(path.substring(1)))
            .timeout(Duration.ofSeconds(20))
            .GET();
    if (headers.length > 0) b.headers(headers);
    return send(b.build());
  }

  /**
   * Sends a POST over a plain socket with the path exactly as given (no client normalising it) and
   * returns the whole answer, status line included.
   */
  static String rawPost(RunningRuntime rt, String path, String body, String... headerLines)
      throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", rt.port()), 5000);
      s.setSoTimeout(20_000);
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      StringBuilder head = new StringBuilder();
      head.append("POST ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      head.append("Content-Type: application/json\r\nConnection: close\r\n");
      head.append("Content-Length: ").append(bytes.length).append("\r\n");
      for (String h : headerLines) head.append(h).append("\r\n");
      head.append("\r\n");
      OutputStream out = s.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder answer = new StringBuilder();
      int length = 0;
      for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
        answer.append(line).append('\n');
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
          length = Integer.parseInt(line.substring(15).trim());
      }
      return answer
          .append('\n')
          .append(new String(in.readNBytes(length), StandardCharsets.UTF_8))
          .toString();
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != -1 && c != '\n'; c = in.read())
      if (c != '\r') line.append((char) c);
    return line.toString();
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(HttpResponse<String> res) {
    try {
      return Json.mapper().readTree(res.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON (" + res.statusCode() + "): " + res.body(), e);
    }
  }

  static JsonNode readTree(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  static URI uri(RunningRuntime rt, String path) {
    return rt.baseUri().resolve(path.substring(1));
  }
}
