package io.promptway.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The envelope written by hand reads exactly as Jackson's own record serialization wrote it. */
class EnvelopeSerializerTest {
  /** The wire format's settings that shape an envelope, without the hand-written serializer. */
  private static final ObjectMapper RECORDS =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .addModule(
              new SimpleModule()
                  .addSerializer(Double.class, new RoundedDoubles.Serializer())
                  .addSerializer(Double.TYPE, new RoundedDoubles.Serializer()))
          .build();

  @Test
  void everyShapeOfEnvelopeIsWrittenAsTheRecordsWereFieldForField() throws Exception {
    SplittableRandom random = new SplittableRandom(12);
    for (int i = 0; i < 2_000; i++) {
      Envelope e = randomEnvelope(random);
      assertEquals(RECORDS.writeValueAsString(e), Json.text(e), e.toString());
    }
  }

  @Test
  void theSyncAnswerKeepsItsFieldsAndTheirOrder() {
    Envelope e =
        Envelope.ok(
            Map.of("text", "Queues absorb bursts."),
            new Envelope.Metadata(
                "req_1",
                "sync",
                "instant",
                Envelope.Usage.of(12, 4),
                3.5,
                new Envelope.Cost(2.5e-6, Map.of("llm", 2.5e-6))));
    assertEquals(
        "{\"success\":true,\"data\":{\"text\":\"Queues absorb bursts.\"},\"metadata\":{"
            + "\"request_id\":\"req_1\",\"pattern\":\"sync\",\"model\":\"instant\",\"usage\":{"
            + "\"prompt_tokens\":12,\"completion_tokens\":4,\"total_tokens\":16},\"latency_ms\":3.5,"
            + "\"cost\":{\"total_usd\":2.5E-6,\"by_component\":{\"llm\":2.5E-6}}}}",
        Json.text(e));
  }

  private static Envelope randomEnvelope(SplittableRandom r) {
    Envelope.Metadata metadata =
        r.nextInt(4) == 0
            ? null
            : new Envelope.Metadata(
                maybe(r, "req_" + r.nextInt(1000)),
                maybe(r, "sync"),
                maybe(r, "gpt-4o-mini"),
                r.nextBoolean() ? null : Envelope.Usage.of(r.nextInt(5000), r.nextInt(5000)),
                r.nextBoolean() ? null : r.nextDouble() * 1000,
                r.nextBoolean()
                    ? null
                    : new Envelope.Cost(
                        r.nextDouble() / 100, r.nextBoolean() ? null : components(r)));
    if (r.nextBoolean()) return Envelope.ok(data(r), metadata);
    Map<String, Object> details = new LinkedHashMap<>();
    if (r.nextBoolean()) details.put("field", "max_tokens");
    if (r.nextBoolean()) details.put("limit", 4096);
    return Envelope.failed(
        new Envelope.ErrorBody(
            maybe(r, "VALIDATION_ERROR"),
            maybe(r, "max_tokens must be at most 4096, \"got\" 5000\n"),
            r.nextBoolean() ? null : details),
        metadata);
  }

  private static Object data(SplittableRandom r) {
    return switch (r.nextInt(5)) {
      case 0 -> null;
      case 1 -> Map.of("text", "héllo \u2028 \"quoted\"", "finish_reason", "stop");
      case 2 -> List.of(1, 2.5, "three");
      case 3 -> new Envelope.Usage(1, 2, 3);
      default -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("request_id", "req_9");
        m.put("status_url", null);
        m.put("items", new ArrayList<>(List.of(Map.of("a", 1))));
        yield m;
      }
    };
  }

  private static Map<String, Double> components(SplittableRandom r) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (String c : List.of("gateway", "function", "state", "llm"))
      if (r.nextBoolean()) m.put(c, r.nextDouble() / 1000);
    return m;
  }

  private static String maybe(SplittableRandom r, String value) {
    return r.nextInt(5) == 0 ? null : value;
  }
}
