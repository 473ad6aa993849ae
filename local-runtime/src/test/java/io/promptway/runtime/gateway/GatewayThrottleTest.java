package io.promptway.runtime.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.runtime.config.RuntimeConfig;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GatewayThrottleTest {
  private static final long SECOND = 1_000_000_000L;
  private final AtomicLong now = new AtomicLong();
  private final BudgetLedger ledger = new BudgetLedger(now::get);
  private final ApiClient alice = new ApiClient("alice", null);
  private final ApiClient bob = new ApiClient("bob", null);
  private final ApiClient gold = new ApiClient("carol", "gold");

  private GatewayThrottle throttle(
      double rps, int burst, Map<String, RuntimeConfig.UsagePlan> plans) {
    return new GatewayThrottle(
        new RuntimeConfig.Throttle(true, rps, burst), plans, ledger, now::get);
  }

  @Test
  void eachApiKeyHasItsOwnBucketWithinTheSharedStageBucket() {
    GatewayThrottle t = throttle(1, 5, Map.of());
    // The stage holds 5; alice may take all 5 on her own bucket, then bob is refused by the stage.
    for (int i = 0; i < 5; i++) assertTrue(t.admit(alice, "sync").admitted());
    GatewayThrottle.Admission refused = t.admit(bob, "sync");
    assertEquals(GatewayThrottle.Reason.THROTTLED, refused.refusedFor());
    assertTrue(refused.retryAfterNanos() > 0);
  }

  @Test
  void aRequestTheStageRefusesTakesNoTokenFromTheKeysOwnBucket() {
    GatewayThrottle t = throttle(1000, 1, Map.of("gold", new RuntimeConfig.UsagePlan(1, 2, 0, 0)));
    assertTrue(t.admit(gold, "sync").admitted()); // the sync stage's one token
    for (int i = 0; i < 3; i++)
      assertEquals(GatewayThrottle.Reason.THROTTLED, t.admit(gold, "sync").refusedFor());

    // the key spent one token of two: another stage still admits it once at once
    GatewayThrottle.Admission sse = t.admit(gold, "sse");
    assertTrue(sse.admitted(), "the stage's refusals took none of the key's tokens");
  }

  @Test
  void eachPatternsApiHasItsOwnStageBucket() {
    GatewayThrottle t = throttle(1, 5, Map.of());
    for (int i = 0; i < 5; i++) assertTrue(t.admit(alice, "sync").admitted());
    assertEquals(GatewayThrottle.Reason.THROTTLED, t.admit(bob, "sync").refusedFor());

    ApiClient dave = new ApiClient("dave", null); // a fresh key: only the stage can refuse
    for (int i = 0; i < 5; i++)
      assertTrue(t.admit(dave, "webhook").admitted(), "sync's stage used up; webhook's is not");
    assertEquals(
        GatewayThrottle.Reason.THROTTLED, t.admit(ApiClient.ANONYMOUS, "webhook").refusedFor());
  }

  @Test
  void aUsagePlanSetsTheKeysOwnRateAndBurst() {
    GatewayThrottle t =
        throttle(1000, 2000, Map.of("gold", new RuntimeConfig.UsagePlan(2, 3, 0, 0)));
    for (int i = 0; i < 3; i++) assertTrue(t.admit(gold, "sync").admitted());
    GatewayThrottle.Admission refused = t.admit(gold, "sync");
    assertFalse(refused.admitted());
    assertEquals(2.0, refused.steadyRps());
    assertEquals(3, refused.burst());
    assertTrue(t.admit(alice, "sync").admitted(), "other keys are not affected");
    now.addAndGet(SECOND / 2);
    assertTrue(t.admit(gold, "sync").admitted(), "one token back after 1/rate");
  }

  @Test
  void theDailyQuotaRefusesUntilTheNextSimulatedDay() {
    GatewayThrottle t =
        throttle(1000, 2000, Map.of("gold", new RuntimeConfig.UsagePlan(0, 0, 3, 0)));
    for (int i = 0; i < 3; i++) assertTrue(t.admit(gold, "sync").admitted());
    GatewayThrottle.Admission refused = t.admit(gold, "sync");
    assertEquals(GatewayThrottle.Reason.QUOTA, refused.refusedFor());
    assertEquals(86_400 * SECOND, refused.retryAfterNanos());
    now.addAndGet(86_400 * SECOND);
    assertTrue(t.admit(gold, "sync").admitted());
  }

  @Test
  void aSpentDailyBudgetRefusesTheCallerButNotOthers() {
    GatewayThrottle t =
        throttle(1000, 2000, Map.of("gold", new RuntimeConfig.UsagePlan(0, 0, 0, 0.01)));
    assertTrue(t.admit(gold, "sync").admitted());
    ledger.charge("carol", 0.004);
    assertTrue(t.admit(gold, "sync").admitted());
    ledger.charge("carol", 0.006);
    assertEquals(GatewayThrottle.Reason.BUDGET, t.admit(gold, "sync").refusedFor());
    assertTrue(t.admit(alice, "sync").admitted());
    now.addAndGet(86_400 * SECOND);
    assertTrue(t.admit(gold, "sync").admitted(), "the budget resets with the simulated day");
    ledger.charge("carol", 0.006);
    assertTrue(t.admit(gold, "sync").admitted(), "the new day counts from zero");
    ledger.charge("carol", 0.004);
    assertEquals(GatewayThrottle.Reason.BUDGET, t.admit(gold, "sync").refusedFor());
  }

  @Test
  void aGenerationOnAnOpenConnectionIsCheckedAgainstTheBudgetAloneTakingNoRateOrQuota() {
    GatewayThrottle t =
        throttle(1000, 2000, Map.of("gold", new RuntimeConfig.UsagePlan(1, 1, 1, 0.01)));
    for (int i = 0; i < 5; i++) assertTrue(t.admitSpend(gold).admitted());
    assertTrue(t.admit(gold, "websocket").admitted(), "bucket and quota untouched");
    ledger.charge("carol", 0.01);
    GatewayThrottle.Admission refused = t.admitSpend(gold);
    assertEquals(GatewayThrottle.Reason.BUDGET, refused.refusedFor());
    assertEquals(86_400 * SECOND, refused.retryAfterNanos());
    assertTrue(t.admitSpend(ApiClient.ANONYMOUS).admitted(), "anonymous callers have no budget");
  }

  @Test
  void whenDisabledEverythingPassesWithoutLimitHeaders() {
    GatewayThrottle t = throttle(1, 1, Map.of());
    t.enabled(false);
    for (int i = 0; i < 100; i++) {
      GatewayThrottle.Admission a = t.admit(alice, "sync");
      assertTrue(a.admitted());
      assertFalse(a.limited());
      assertNull(a.refusedFor());
    }
  }

  @Test
  void theReportedLimitIsTheBucketsSizeSoRemainingNeverExceedsIt() {
    GatewayThrottle t = throttle(1000, 2000, Map.of());
    GatewayThrottle.Admission first = t.admit(alice, "sync");
    assertEquals(2000, first.burst());
    assertEquals(1999, first.remaining());
    assertEquals(1000.0, first.steadyRps());
    GatewayThrottle tight =
        throttle(1000, 2000, Map.of("gold", new RuntimeConfig.UsagePlan(2, 3, 0, 0)));
    GatewayThrottle.Admission own = tight.admit(gold, "sync");
    assertEquals(3, own.burst(), "the key's bucket is the one closest to refusing");
    assertEquals(2, own.remaining());
  }

  @Test
  void aRequestOverTheQuotaTakesNoRateTokens() {
    GatewayThrottle t = throttle(1000, 5, Map.of("gold", new RuntimeConfig.UsagePlan(0, 0, 1, 0)));
    assertTrue(t.admit(gold, "sync").admitted());
    for (int i = 0; i < 10; i++)
      assertEquals(GatewayThrottle.Reason.QUOTA, t.admit(gold, "sync").refusedFor());
    for (int i = 0; i < 4; i++)
      assertTrue(t.admit(alice, "sync").admitted(), "the stage still has 4 of its 5 tokens");
  }

  @Test
  void anUnknownPlanIsAStartUpError() {
    GatewayThrottle t = throttle(1, 1, Map.of());
    assertThrows(IllegalArgumentException.class, () -> t.checkPlan("carol", "platinum"));
  }

  @Test
  void theQuotaCountsOnlyAdmittedRequests() {
    DailyQuota q = new DailyQuota(2, now::get);
    assertTrue(q.tryConsume());
    assertTrue(q.tryConsume());
    assertFalse(q.tryConsume());
    assertEquals(2, q.used());
    now.addAndGet(86_400 * SECOND + 1);
    assertEquals(0, q.used());
  }
}
