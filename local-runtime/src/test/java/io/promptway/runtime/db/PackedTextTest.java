package io.promptway.runtime.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
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
                  at.atOffset(java.time.ZoneOffset.ofHours(-5)))
              .getFirst();
      String[] row = PackedText.rows(packed).getFirst();
      assertEquals(AWKWARD, row[0]);
      assertEquals(null, row[1]);
      assertEquals(2.0833e-6, Double.parseDouble(row[2]));
      assertEquals(at, PackedText.instant(row[3]));
    }
  }
}
