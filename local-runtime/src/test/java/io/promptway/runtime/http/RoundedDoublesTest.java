package io.promptway.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoundedDoublesTest {
  @Test
  void binaryNoiseOfPricesAndSumsIsRoundedAway() {
    assertEquals(0.00211, RoundedDoubles.round(211 * 0.00001));
    assertEquals(2.0e-7, RoundedDoubles.round(2.0000000000000002e-7));
    assertEquals(0.0021849500725, RoundedDoubles.round(0.0021849500725000005));
    assertEquals(2.825, RoundedDoubles.round(2.8249999999999997));
    assertEquals(4.375e-6, RoundedDoubles.round(4.3750000000000005e-6));
    assertEquals(-0.0007595, RoundedDoubles.round(-7.59500000000001e-4));
    assertEquals(0.3, RoundedDoubles.round(0.1 + 0.2));
  }

  @Test
  void twelveSignificantDigitsAreKept() {
    assertEquals(666.68912, RoundedDoubles.round(666.68912));
    assertEquals(3.67019354839, RoundedDoubles.round(3.67019354839));
    assertEquals(3.67019354839, RoundedDoubles.round(3.670193548387));
    assertEquals(1.23456789012, RoundedDoubles.round(1.234567890123456));
    assertEquals(1.66667e-5, RoundedDoubles.round(1.66667e-5));
    assertEquals(1_000.0, RoundedDoubles.round(1_000.0));
  }

  @Test
  void zeroNonFiniteAndOutOfRangeValuesAreLeftAsTheyAre() {
    for (double v :
        new double[] {
          0.0, Double.NaN, Double.POSITIVE_INFINITY, 1.0000000000000002e-13, 1.2345678901234567e15
        }) {
      assertEquals(v, RoundedDoubles.round(v), Double.toString(v));
    }
  }

  record Row(String unit, double usd, Double quantity) {}

  @Test
  void theWireMapperWritesEveryDoubleRounded() {
    assertEquals(
        "{\"unit\":\"output\",\"usd\":0.00211,\"quantity\":2.825}",
        Json.text(new Row("output", 211 * 0.00001, 2.8249999999999997)));
    assertEquals("{\"state\":4.375E-6}", Json.text(Map.of("state", 4.3750000000000005e-6)));
    assertEquals("[0.3,2.0E-7]", Json.text(List.of(0.1 + 0.2, 2.0000000000000002e-7)));
  }

  @Test
  void theEnvelopeWritesItsCostAndLatencyRounded() {
    Envelope e =
        Envelope.ok(
            Map.of(),
            new Envelope.Metadata(
                "req_1",
                "sync",
                "gpt-4o",
                null,
                0.1 + 0.2,
                new Envelope.Cost(0.0021849500725000005, Map.of("llm", 211 * 0.00001))));
    assertEquals(
        "{\"success\":true,\"data\":{},\"metadata\":{\"request_id\":\"req_1\",\"pattern\":\"sync\","
            + "\"model\":\"gpt-4o\",\"latency_ms\":0.3,\"cost\":{\"total_usd\":0.0021849500725,"
            + "\"by_component\":{\"llm\":0.00211}}}}",
        Json.text(e));
  }
}
