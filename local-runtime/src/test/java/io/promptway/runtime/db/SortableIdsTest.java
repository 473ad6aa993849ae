package io.promptway.runtime.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SortableIdsTest {
  @Test
  void areVersionSevenUuidsCarryingTheirMillisecond() {
    UUID id = SortableIds.uuid(1_800_000_000_123L, -1L, -1L);
    assertEquals(7, id.version());
    assertEquals(2, id.variant());
    assertEquals(1_800_000_000_123L, id.getMostSignificantBits() >>> 16);
  }

  @Test
  void sortAsTextByCreationMillisecondWhateverTheRandomBits() {
    String earlier = SortableIds.uuid(1_800_000_000_000L, -1L, -1L).toString();
    String later = SortableIds.uuid(1_800_000_000_001L, 0L, 0L).toString();
    assertTrue(earlier.compareTo(later) < 0, earlier + " should sort before " + later);
  }

  @Test
  void doNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) assertTrue(seen.add(SortableIds.uuid()));
  }
}
