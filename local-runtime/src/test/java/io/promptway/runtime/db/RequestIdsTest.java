package io.promptway.runtime.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestIdsTest {
  @Test
  void idsSortByCreationMillisecondWhateverTheRandomPart() {
    String earlier = RequestIds.next(1_800_000_000_000L, -1L);
    String later = RequestIds.next(1_800_000_000_001L, 0L);
    assertTrue(earlier.compareTo(later) < 0, earlier + " should sort before " + later);
    assertTrue(
        RequestIds.next(1_700_000_000_000L, 0L).compareTo(RequestIds.next(1_800_000_000_000L, 0L))
            < 0);
  }

  @Test
  void theRandomPartTellsIdsOfTheSameMillisecondApart() {
    assertNotEquals(RequestIds.next(42L, 1L), RequestIds.next(42L, 2L));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) assertTrue(seen.add(RequestIds.next()));
  }

  @Test
  void idsAreTwentyFourUrlSafeCharactersAfterThePrefix() {
    String id = RequestIds.next();
    assertEquals(24, id.length());
    assertTrue(id.matches("req_[0-9a-hjkmnp-tv-z]{20}"), id);
  }
}
