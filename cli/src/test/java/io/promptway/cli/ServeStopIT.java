package io.promptway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.runtime.http.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} stopped by SIGTERM, as Ctrl-C or a service manager stops it, with async work in
 * flight, then started again on the same database: the packaged jar in processes of its own, since
 * only a real JVM exit runs the shutdown hooks (the runtime's, and H2's own).
 */
class ServeStopIT {
  private static final Path JAR = Path.of("target/promptway.jar").toAbsolutePath();
  private static final Pattern BASE = Pattern.compile("http://127\\.0\\.0\\.1:\\d+");

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void asyncWorkHeldAtASigtermIsTakenUpAtOnceByTheNextStart(@TempDir Path dir) throws Exception {
    Path db = dir.resolve("state");
    Serve first = Serve.start(db, dir.resolve("first.err"));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      JsonNode accepted =
          post(
              first.base,
              "/async/requests",
              "{\"prompt\":\"job "
                  + i
                  + "\",\"model\":\"gpt-4o\",\"callback_url\":\"http://127.0.0.1:9/h\"}");
      ids.add(accepted.at("/data/request_id").asText());
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> get(first.base, "/async/queue").at("/data/depth/in_flight").asInt() > 0);

    first.stop();
    String stopLog = Files.readString(dir.resolve("first.err"));
    assertFalse(stopLog.contains("already closed"), stopLog);

    Serve second = Serve.start(db, dir.resolve("second.err"));
    try {
      // held messages come back at once, not after the queue's 5 min visibility timeout
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  ids.stream()
                      .allMatch(
                          id ->
                              get(second.base, "/async/requests/" + id)
                                  .at("/data/status")
                                  .asText()
                                  .equals("completed")));
      for (String id : ids) {
        assertEquals(
            id, get(second.base, "/requests/" + id).at("/data/request/request_id").asText());
      }
    } finally {
      second.stop();
    }
  }

  private JsonNode post(String base, String path, String body) throws Exception {
    HttpResponse<String> res =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(202, res.statusCode(), res.body());
    return Json.mapper().readTree(res.body());
  }

  private JsonNode get(String base, String path) {
    try {
      HttpResponse<String> res =
          http.send(
              HttpRequest.newBuilder(URI.create(base + path)).build(),
              HttpResponse.BodyHandlers.ofString());
      return Json.mapper().readTree(res.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private record Serve(Process process, String base) {
    static Serve start(Path db, Path stderr) throws Exception {
      String java = ProcessHandle.current().info().command().orElseThrow();
      Process p =
          new ProcessBuilder(
                  java, "-jar", JAR.toString(), "serve", "--port", "0", "--db", db.toString())
              .redirectError(stderr.toFile())
              .start();
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null) {
        Matcher m = BASE.matcher(line);
        if (m.find()) {
          Thread.ofVirtual().start(() -> out.lines().forEach(l -> {})); // keep stdout drained
          return new Serve(p, m.group());
        }
      }
      p.destroyForcibly();
      throw new AssertionError("serve printed no base URL; see " + stderr);
    }

    void stop() throws InterruptedException {
      process.destroy(); // SIGTERM
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "serve stopped on SIGTERM");
    }
  }
}
