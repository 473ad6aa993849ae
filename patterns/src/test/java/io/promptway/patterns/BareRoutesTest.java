package io.promptway.patterns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The baseline routes benchmarks/sync-throughput.sh measures the sync pattern against. */
class BareRoutesTest {
  private static RuntimeFixture rt;

  @BeforeAll
  static void start() {
    rt = new RuntimeFixture(Map.of());
  }

  @AfterAll
  static void stop() {
    rt.close();
  }

  @Test
  void byteEchoReturnsTheBodyUnchanged() throws Exception {
    String body = "{\"prompt\": \"hi\",   \"max_tokens\": 16}";
    HttpResponse<String> r = rt.post("/_bare/echo", body);
    assertEquals(200, r.statusCode());
    assertEquals(body, r.body());
  }

  @Test
  void jsonEchoParsesTheBodyAndWritesItBackAsJson() throws Exception {
    String body = "{\"prompt\": \"hi\",   \"max_tokens\": 16, \"nested\": {\"a\": [1, 2.5]}}";
    HttpResponse<String> r = rt.post("/_bare/json", body);
    assertEquals(200, r.statusCode());
    assertTrue(
        r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
        r.headers().map().toString());
    // written back by the mapper, not copied: the insignificant spaces are gone
    assertEquals("{\"prompt\":\"hi\",\"max_tokens\":16,\"nested\":{\"a\":[1,2.5]}}", r.body());
  }

  @Test
  void jsonEchoRefusesABodyThatIsNotJson() throws Exception {
    HttpResponse<String> r = rt.post("/_bare/json", "{not json");
    assertEquals(400, r.statusCode(), r.body());
    var error = RuntimeFixture.json(r).path("error");
    assertEquals("MALFORMED_JSON", error.path("code").asText());
    assertTrue(error.path("message").asText().contains("line 1, column 2"), error.toString());
  }

  @Test
  void jsonEchoRefusesABodyThatIsNotSentAsJson() throws Exception {
    HttpResponse<String> r =
        rt.http.send(
            HttpRequest.newBuilder(rt.uri("/_bare/json"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(415, r.statusCode(), r.body());
    assertTrue(r.body().contains("text/plain"), r.body());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/_bare/echo", "/_bare/json"})
  void aBareRouteRefusesAnEmptyBodyWith400(String path) throws Exception {
    HttpResponse<String> r = rt.send("POST", path, HttpRequest.BodyPublishers.noBody());

    assertEquals(400, r.statusCode(), r.body());
    assertEquals("EMPTY_BODY", RuntimeFixture.json(r).at("/error/code").asText());
  }
}
