package io.promptway.scenarios.workload;

import io.promptway.scenarios.model.LoadSize;
import io.promptway.scenarios.model.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns a scenario into its seeded request sequence: arrival times from the load stages, then for
 * each arrival a request class drawn by weight, prompt and output lengths drawn from the class's
 * lognormal distributions (max_tokens within the runtime's cap, as a client of the API would send
 * it), and a prompt text of about that many tokens. The same scenario and seed always give the same
 * sequence.
 */
public final class WorkloadPlanner {
  private static final String[] WORDS = {
    "the", "model", "should", "explain", "how", "our", "service", "handles", "billing", "for",
    "each", "customer", "order", "and", "what", "happens", "when", "a", "payment", "fails",
    "please", "summarise", "list", "steps", "with", "examples", "data", "report", "team", "plan"
  };

  private WorkloadPlanner() {}

  public static List<PlannedRequest> plan(Scenario scenario) {
    long[] times = ArrivalSchedule.arrivals(scenario.stages(), scenario.seed());
    SplittableRandom random = new SplittableRandom(scenario.seed() * 31 + 7);
    double totalWeight = scenario.mix().stream().mapToDouble(Scenario.RequestClass::weight).sum();
    int cap = scenario.maxTokensCap();
    List<PlannedRequest> plan = new ArrayList<>(times.length);
    for (int i = 0; i < times.length; i++) {
      Scenario.RequestClass c = pick(scenario.mix(), totalWeight, random.nextDouble());
      int promptTokens = sample(c.promptTokens(), random);
      int maxTokens = Math.min(sample(c.outputTokens(), random), cap);
      boolean callbackFails = random.nextDouble() < c.callbackFailureRate();
      plan.add(
          new PlannedRequest(
              i,
              times[i],
              c.name(),
              prompt(i, promptTokens, random.nextLong()),
              promptTokens,
              maxTokens,
              c.interactive(),
              c.userTier(),
              c.priority(),
              c.callback(),
              c.pollIntervalMs(),
              callbackFails));
    }
    return plan;
  }

  private static Scenario.RequestClass pick(
      List<Scenario.RequestClass> mix, double total, double u) {
    double acc = 0;
    for (Scenario.RequestClass c : mix) {
      acc += c.weight() / total;
      if (u < acc) return c;
    }
    return mix.getLast();
  }

  /** A lognormal draw, its tail capped at the most tokens a scenario may give. */
  static int sample(Scenario.TokenRange range, SplittableRandom random) {
    if (range.p95() == range.median()) return range.median();
    double tokens = range.median() * Math.exp(LoadSize.sigma(range) * random.nextGaussian());
    return (int) Math.max(1, Math.min(Scenario.MAX_TOKENS, Math.round(tokens)));
  }

  /** About four characters per token, as the emulated provider counts them. */
  private static String prompt(int index, int tokens, long seed) {
    SplittableRandom words = new SplittableRandom(seed);
    StringBuilder sb = new StringBuilder("Request " + index + ":");
    while (sb.length() < tokens * Scenario.CHARS_PER_TOKEN)
      sb.append(' ').append(WORDS[words.nextInt(WORDS.length)]);
    return sb.toString();
  }
}
