package io.promptway.runtime.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class PriceTableTest {

  @Test
  void aUnitPriceGivenAsABareNumberIsUsdPerOneUnit() {
    PriceTable arm = PriceTable.load(Map.of("function.gb_second", 0.0000133334));

    assertEquals(0.0000133334, arm.usdPerUnit(BillableUnit.FUNCTION_GB_SECOND, null), 1e-18);
    assertEquals(
        0.0000133334, arm.document().at("/units/function.gb_second/usd").asDouble(), 1e-18);
    assertEquals(
        PriceTable.shipped().usdPerUnit(BillableUnit.FUNCTION_REQUEST, null),
        arm.usdPerUnit(BillableUnit.FUNCTION_REQUEST, null),
        "the other units keep the shipped prices");
  }

  @Test
  void aUnitPriceInTheTablesOwnShapeAndANewModelApply() {
    PriceTable t =
        PriceTable.load(
            Map.of(
                "units", Map.of("queue.request", Map.of("usd", 0.5, "per", 1_000_000)),
                "llm", Map.of("my-model", Map.of("input", 1.0, "output", 4.0))));

    assertEquals(0.5e-6, t.usdPerUnit(BillableUnit.QUEUE_REQUEST, null), 1e-18);
    assertEquals(4.0e-6, t.usdPerUnit(BillableUnit.LLM_OUTPUT_TOKEN, "my-model"), 1e-18);
    assertTrue(t.knowsModel("gpt-4o"), "shipped models stay");
  }

  @Test
  void aKeyTheTableDoesNotHaveIsRefusedNotIgnored() {
    var top =
        assertThrows(
            IllegalArgumentException.class,
            () -> PriceTable.load(Map.of("function.gb_seconds", 0.00001)));
    assertTrue(
        top.getMessage().startsWith("prices: unknown key 'function.gb_seconds'"), top.getMessage());
    assertTrue(top.getMessage().contains("function.gb_second"), top.getMessage());

    var unit =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PriceTable.load(
                    Map.of("units", Map.of("lambda.gb_second", Map.of("usd", 1, "per", 1)))));
    assertTrue(
        unit.getMessage().startsWith("prices: unknown unit 'units.lambda.gb_second'"),
        unit.getMessage());
  }

  @Test
  void tokensOfAModelWithoutAPriceCostNothingAndAreWarnedAboutOnce() {
    PriceTable t = PriceTable.shipped();
    List<String> warnings = new ArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            if (r.getLevel() == Level.WARNING) warnings.add(r.getMessage());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger log = Logger.getLogger(PriceTable.class.getName());
    log.addHandler(capture);
    try {
      assertEquals(0, t.price(BillableUnit.LLM_INPUT_TOKEN, "llama3.2", 111));
      assertEquals(0, t.price(BillableUnit.LLM_OUTPUT_TOKEN, "llama3.2", 37));
    } finally {
      log.removeHandler(capture);
    }
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("prices.llm.llama3.2"), warnings.get(0));
  }
}
