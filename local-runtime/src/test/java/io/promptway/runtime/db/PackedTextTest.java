package io.promptway.runtime.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PackedTextTest {
  private static final String AWKWARD = "back\\slash\ttab\nnewline \\N not null";

  @Test
  void fieldsWithSeparatorsEscapesAndNullsComeBackAsWritten() {
    String packed =
        new PackedText.Builder()
            .field(AWKWARD)
            .field((String) null)
            .field("")
            .endRow()
            .field(0.1 + 0.2)
            .field(1e-9)
            .endRow()
            .toString();
    List<String[]> rows = PackedText.rows(packed);
    assertEquals(2, rows.size());
    assertArrayEquals(new String[] {AWKWARD, null, ""}, rows.get(0));
    assertEquals(0.1 + 0.2, Double.parseDouble(rows.get(1)[0]));
    assertEquals(1e-9, Double.parseDouble(rows.get(1)[1]));
  }

  @Test
  void wholeNumbersAreWrittenWithoutAFractionAndEveryNumberReadsBackExactly() {
    double[] values = {16, 0, -3, 1e15, 0x1p53, 0x1p53 + 2, 1.5, 1e300, 1e-9, Double.NaN};
    PackedText.Builder b = new PackedText.Builder();
    for (double v : values) b.field(v);
    String packed = b.endRow().toString();

    assertTrue(packed.startsWith("16\t0\t-3\t1000000000000000\t9007199254740992\t"), packed);
    String[] row = PackedText.rows(packed).getFirst();
    for (int i = 0; i < values.length; i++) {
      assertEquals(values[i], Double.parseDouble(row[i]), row[i]);
    }
  }

  @Test
  void aFieldWithOneSeparatorAnywhereIsEscapedAndOneWithoutIsCopiedAsItIs() {
    for (String special : List.of("\\", "\t", "\n")) {
      for (String value : List.of(special + "plain", "pla" + special + "in", "plain" + special)) {
        String packed = new PackedText.Builder().field(value).field("plain").endRow().toString();
        assertArrayEquals(new String[] {value, "plain"}, PackedText.rows(packed).getFirst());
        assertEquals(value.length() + 1 + "plain".length() + 3, packed.length(), packed);
      }
    }
  }

  @Test
  void instantsKeepTheirNanosecondsOnEitherSideOfTheEpoch() {
    for (Instant at :
        List.of(
            Instant.parse("2026-11-27T13:45:00.000000001Z"),
            Instant.parse("2026-11-27T13:45:00Z"),
            Instant.parse("1969-12-31T23:59:59.25Z"))) {
      String packed = new PackedText.Builder().field(at).endRow().toString();
      assertEquals(at, PackedText.instant(PackedText.rows(packed).getFirst()[0]));
    }
  }

  @Test
  void aTextCutOffInsideARowIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> PackedText.rows("a\tb\t"));
  }

  @Test
  void aKeysTextIsSplitBeforeItOutgrowsItsColumnAndKeepsItsRowsInOrder() throws Exception {
    try (Database db = new Database("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")) {
      try (var c = db.connection();
          var s = c.createStatement()) {
        s.execute(
            "CREATE TABLE packed (id BIGINT AUTO_INCREMENT PRIMARY KEY, k VARCHAR(8), "
                + "v VARCHAR(1000000))");
      }
      PackedText.ByKey byKey = new PackedText.ByKey();
      String wide = "x".repeat(1_000);
      int rows = 2 * PackedText.ByKey.MAX_CHARS / wide.length();
      for (int i = 0; i < rows; i++) {
        byKey.of("big").field(i).field(wide).endRow();
        if (i % 100 == 0) byKey.of("small").field(i).endRow();
      }
      try (var c = db.connection();
          var insert = c.prepareStatement("INSERT INTO packed (k, v) VALUES (?, ?)")) {
        byKey.insertAll(insert);
      }
      List<String> big =
          db.list(
              "packed", "SELECT v FROM packed WHERE k = 'big' ORDER BY id", r -> r.getString(1));
      assertTrue(big.size() >= 2, "texts of the big key: " + big.size());
      List<Double> order = new ArrayList<>();
      for (String text : big) {
        assertTrue(text.length() <= PackedText.ByKey.MAX_CHARS + 2 * wide.length());
        for (String[] row : PackedText.rows(text)) order.add(Double.parseDouble(row[0]));
      }
      assertEquals(rows, order.size());
      for (int i = 0; i < rows; i++) assertEquals(i, order.get(i));
    }
  }

  @Test
  void theDatabasePacksColumnsAsTheBuilderDoes() {
    try (Database db = new Database("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")) {
      Instant at = Instant.parse("2026-11-27T13:45:00.123456789Z");
      String packed =
          db.list(
                  "packed",
                  "SELECT "
                      + String.join(
                          " || ",
                          PackedText.sqlField("a"),
                          PackedText.sqlField("n"),
                          PackedText.sqlNumber("b"),
                          PackedText.sqlInstant("c"),
                          PackedText.sqlEndRow())
                      + " FROM (SELECT CAST(? AS VARCHAR) a, CAST(NULL AS VARCHAR) n, "
                      + "CAST(? AS DOUBLE PRECISION) b, CAST(? AS TIMESTAMP(9) WITH TIME ZONE) c)",
                  rs -> rs.getString(1),
                  AWKWARD,
                  2.0833e-6,
                  at.atOffset(ZoneOffset.ofHours(-5)))
              .getFirst();
      String[] row = PackedText.rows(packed).getFirst();
      assertEquals(AWKWARD, row[0]);
      assertEquals(null, row[1]);
      assertEquals(2.0833e-6, Double.parseDouble(row[2]));
      assertEquals(at, PackedText.instant(row[3]));
    }
  }
}
