package io.promptway.runtime.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AttemptCountsTest {
  @Test
  void callsWithoutARequestIdAreCountedByTheirPlanKey() {
    AttemptCounts counts = new AttemptCounts(10, 10);
    assertEquals(0, counts.next(null, 7));
    assertEquals(1, counts.next(null, 7));
    assertEquals(0, counts.next(null, 8), "another request starts at its first attempt");
    assertEquals(2, counts.next(null, 7));
  }

  @Test
  void callsWithARequestIdAreCountedByItWhateverTheirPlan() {
    AttemptCounts counts = new AttemptCounts(10, 10);
    assertEquals(0, counts.next("req_a", 7));
    assertEquals(1, counts.next("req_a", 8));
    assertEquals(0, counts.next(null, 7), "ids and plan keys are counted apart");
  }

  @Test
  void theLeastRecentlyUsedPlanIsForgottenPastTheBound() {
    AttemptCounts counts = new AttemptCounts(10, 2);
    counts.next(null, 1);
    counts.next(null, 2);
    counts.next(null, 1); // 1 is now the more recent
    counts.next(null, 3); // forgets 2
    assertEquals(2, counts.next(null, 1));
    assertEquals(0, counts.next(null, 2), "forgotten: counted afresh");
  }
}
