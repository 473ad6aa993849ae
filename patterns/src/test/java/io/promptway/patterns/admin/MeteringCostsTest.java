package io.promptway.patterns.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promptway.patterns.RuntimeFixture;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MeteringCostsTest {
  private static RuntimeFixture rt;

  @BeforeAll
  static void start() {
    rt = new RuntimeFixture(Map.of());
  }

  @AfterAll
  static void stop() {
    rt.close();
  }

  private static String generate() throws Exception {
    return RuntimeFixture.json(
            rt.post("/sync/generate", "{\"prompt\":\"cost me\",\"model\":\"instant\"}"))
        .at("/metadata/request_id")
        .asText();
  }

  @Test
  void theCostsOfSeveralRequestsAreTheirsAsTheLifecycleShowsItAndAreNotBilled() throws Exception {
    String first = generate();
    String second = generate();
    String totalsBefore = rt.get("/metering/totals").body();

    JsonNode costs =
        RuntimeFixture.json(
                rt.post(
                    "/metering/costs",
                    "{\"request_ids\":[\"" + first + "\",\"req_unknown\",\"" + second + "\"]}"))
            .at("/data/costs");

    assertEquals(2, costs.size(), costs.toString());
    assertFalse(costs.has("req_unknown"));
    for (String id : new String[] {first, second}) {
      JsonNode lifecycle = RuntimeFixture.json(rt.get("/requests/" + id)).at("/data/cost");
      assertEquals(lifecycle, costs.get(id), id);
      assertTrue(costs.get(id).at("/by_component/gateway").asDouble() > 0, id);
    }
    assertEquals(totalsBefore, rt.get("/metering/totals").body(), "looking costs nothing");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"request_ids": "req_1"}   | request_ids
          {"ids": []}                | request_ids
          {"request_ids": [1]}       | request_ids[0]
          """)
  void aBodyWithoutAnArrayOfIdsIsRefusedNamingTheField(String body, String field) throws Exception {
    var res = rt.post("/metering/costs", body);
    assertEquals(400, res.statusCode(), res.body());
    assertEquals(field, RuntimeFixture.json(res).at("/error/details/field").asText(), res.body());
  }

  @Test
  void aBodyThatIsNotJsonIsNamedWithItsLineAndColumnAndNoParserInternals() throws Exception {
    var res = rt.post("/metering/costs", "{\"request_ids\": [\"a\",]}");
    assertEquals(400, res.statusCode(), res.body());
    String message = RuntimeFixture.json(res).at("/error/message").asText();
    assertTrue(message.contains("at line 1, column"), message);
    assertFalse(message.contains("Source"), message);
  }

  @Test
  void moreIdsThanOneCallTakesAreRefused() throws Exception {
    String ids = "\"r\",".repeat(MeteringService.MAX_IDS) + "\"r\"";
    var res = rt.post("/metering/costs", "{\"request_ids\":[" + ids + "]}");
    assertEquals(400, res.statusCode(), res.body());
    assertTrue(res.body().contains("at most 1000 ids per call, got 1001"), res.body());
  }
}
