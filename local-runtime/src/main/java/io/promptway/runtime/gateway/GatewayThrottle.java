package io.promptway.runtime.gateway;

import io.promptway.runtime.config.RuntimeConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Admission control in front of every pattern: the caller's daily budget, the plan's daily quota,
 * the caller's usage-plan bucket (per API key), then the stage bucket of the API asked; a request
 * the quota or budget refuses takes no rate tokens, and the quota counts only admitted requests.
 * Each pattern is deployed as its own API with its own stage bucket, as a team would ship the one
 * it chose, so patterns compared side by side on one runtime do not use up each other's rate. Each
 * bucket is a lock-free {@link TokenBucket}; callers without a plan get the stage's rates as their
 * own. Refused requests are not billed (API Gateway bills neither throttled requests nor the
 * function they never reach).
 *
 * <p>Models steady rate, burst, quotas and budgets in simulated time. It does not model per-method
 * throttling or the account-level limit shared by several APIs.
 */
public final class GatewayThrottle {
  private final RuntimeConfig.Throttle stageConfig;
  private final Map<String, RuntimeConfig.UsagePlan> plans;
  private final BudgetLedger ledger;
  private final LongSupplier nanos;
  private final ConcurrentHashMap<String, TokenBucket> stages = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CallerLimits> callers = new ConcurrentHashMap<>();
  private volatile boolean enabled;

  public GatewayThrottle(
      RuntimeConfig.Throttle stageConfig,
      Map<String, RuntimeConfig.UsagePlan> plans,
      BudgetLedger ledger,
      LongSupplier nanos) {
    this.stageConfig = stageConfig;
    this.plans = Map.copyOf(plans);
    this.ledger = ledger;
    this.nanos = nanos;
    this.enabled = stageConfig.enabled();
  }

  /** Fails at start-up, not at the first request, when a key names a plan that does not exist. */
  public void checkPlan(String keyName, String plan) {
    if (plan != null && !plan.isBlank() && !plans.containsKey(plan)) {
      throw new IllegalArgumentException(
          "API key '"
              + keyName
              + "' uses usage plan '"
              + plan
              + "', which is not in gateway.usage_plans "
              + plans.keySet());
    }
  }

  public boolean enabled() {
    return enabled;
  }

  /** Turns throttling on or off at run time (benchmarks compare both on one server). */
  public void enabled(boolean on) {
    this.enabled = on;
  }

  /**
   * @param api the API (pattern) the request is for; each has its own stage bucket
   */
  public Admission admit(ApiClient client, String api) {
    if (!enabled) return Admission.UNLIMITED;
    CallerLimits limits = limitsOf(client);
    if (budgetSpent(client, limits)) {
      return Admission.refused(Reason.BUDGET, limits.bucket, ledger.nanosUntilReset());
    }
    if (limits != null && limits.quota != null && limits.quota.exhausted())
      return quotaRefused(limits);
    TokenBucket.Probe own = null;
    if (limits != null) {
      own = limits.bucket.tryAcquire();
      if (!own.admitted()) return Admission.throttled(limits.bucket, own);
    }
    TokenBucket stage =
        stages.computeIfAbsent(
            api, a -> new TokenBucket(stageConfig.steadyRps(), stageConfig.burst(), nanos));
    TokenBucket.Probe shared = stage.tryAcquire();
    // a refused request uses no rate: the key's token goes back
    if (!shared.admitted()) {
      if (own != null) limits.bucket.release();
      return Admission.throttled(stage, shared);
    }
    // a concurrent request may have taken the quota's last unit since the check above
    if (limits != null && limits.quota != null && !limits.quota.tryConsume()) {
      limits.bucket.release();
      stage.release();
      return quotaRefused(limits);
    }
    if (own != null && own.remaining() < shared.remaining()) {
      return Admission.admitted(limits.bucket, own);
    }
    return Admission.admitted(stage, shared);
  }

  private static Admission quotaRefused(CallerLimits limits) {
    return Admission.refused(Reason.QUOTA, limits.bucket, limits.quota.nanosUntilReset());
  }

  /**
   * The budget check alone, for work that arrives on a connection the gateway already admitted (a
   * WebSocket generation): no bucket or quota token is taken.
   */
  public Admission admitSpend(ApiClient client) {
    if (!enabled) return Admission.UNLIMITED;
    CallerLimits limits = limitsOf(client);
    if (budgetSpent(client, limits)) {
      return Admission.refused(Reason.BUDGET, limits.bucket, ledger.nanosUntilReset());
    }
    return Admission.UNLIMITED;
  }

  private CallerLimits limitsOf(ApiClient client) {
    return client.anonymous()
        ? null
        : callers.computeIfAbsent(client.name(), n -> limitsFor(client));
  }

  private boolean budgetSpent(ApiClient client, CallerLimits limits) {
    return limits != null
        && limits.budgetUsd > 0
        && ledger.spentToday(client.name()) >= limits.budgetUsd;
  }

  private CallerLimits limitsFor(ApiClient client) {
    RuntimeConfig.UsagePlan plan = client.plan() == null ? null : plans.get(client.plan());
    double rate = plan != null && plan.steadyRps() > 0 ? plan.steadyRps() : stageConfig.steadyRps();
    int burst = plan != null && plan.burst() > 0 ? plan.burst() : stageConfig.burst();
    DailyQuota quota =
        plan != null && plan.quotaPerDay() > 0 ? new DailyQuota(plan.quotaPerDay(), nanos) : null;
    double budget = plan == null ? 0 : plan.budgetUsdPerDay();
    return new CallerLimits(new TokenBucket(rate, burst, nanos), quota, budget);
  }

  private record CallerLimits(TokenBucket bucket, DailyQuota quota, double budgetUsd) {}

  /** Why a request was refused. */
  public enum Reason {
    THROTTLED,
    QUOTA,
    BUDGET
  }

  /**
   * The gateway's answer for one request, with what the rate-limit headers report: the bucket that
   * is closest to refusing, its size, the tokens left in it and when it is full again.
   *
   * @param refusedFor null when admitted
   * @param steadyRps the bucket's refill rate, requests per simulated second
   * @param burst the bucket's size: the most requests it admits at once
   * @param remaining whole tokens left in that bucket
   * @param resetNanos simulated nanoseconds until that bucket is full (or the quota/budget resets)
   * @param retryAfterNanos simulated nanoseconds to wait before retrying, when refused
   */
  public record Admission(
      Reason refusedFor,
      double steadyRps,
      int burst,
      int remaining,
      long resetNanos,
      long retryAfterNanos) {
    static final Admission UNLIMITED = new Admission(null, 0, 0, 0, 0, 0);

    public boolean admitted() {
      return refusedFor == null;
    }

    /** Whether there are limits to report in headers (not when throttling is off). */
    public boolean limited() {
      return burst > 0;
    }

    static Admission admitted(TokenBucket bucket, TokenBucket.Probe p) {
      return new Admission(
          null, bucket.steadyRps(), bucket.burst(), p.remaining(), p.resetNanos(), 0);
    }

    static Admission throttled(TokenBucket bucket, TokenBucket.Probe p) {
      return new Admission(
          Reason.THROTTLED,
          bucket.steadyRps(),
          bucket.burst(),
          0,
          p.resetNanos(),
          p.retryAfterNanos());
    }

    static Admission refused(Reason reason, TokenBucket bucket, long untilReset) {
      return new Admission(reason, bucket.steadyRps(), bucket.burst(), 0, untilReset, untilReset);
    }
  }
}
