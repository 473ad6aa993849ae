package io.promptway.runtime.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.runtime.config.ConfigLoader;
import io.promptway.runtime.gateway.ChatMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CompletionPlannerTest {
  private final ModelProfile profile = new ConfigLoader().defaults().llm().models().get("gpt-4o");
  private final List<ChatMessage> messages =
      List.of(ChatMessage.user("Explain queues in one paragraph."));

  @Test
  void theSameSeedAndRequestGiveTheSameTokensAndTimings() {
    CompletionPlan a = new CompletionPlanner(7).plan("gpt-4o", profile, messages, 500, null);
    CompletionPlan b = new CompletionPlanner(7).plan("gpt-4o", profile, messages, 500, null);
    assertEquals(a, b);
  }

  @Test
  void anotherSeedGivesAnotherCompletion() {
    CompletionPlan a = new CompletionPlanner(7).plan("gpt-4o", profile, messages, 500, null);
    CompletionPlan b = new CompletionPlanner(8).plan("gpt-4o", profile, messages, 500, null);
    assertNotEquals(a.text(), b.text());
  }

  @Test
  void requestSeedsThatAgreeInTheirFoldedHalvesStillGiveDifferentAnswers() {
    CompletionPlanner planner = new CompletionPlanner(7);
    Set<String> texts = new HashSet<>();
    for (long seed : new long[] {0, -1, 4_294_967_297L, Long.MIN_VALUE, 1L << 32}) {
      CompletionPlan plan = planner.plan("gpt-4o", profile, messages, 40, null, 0, seed);
      assertEquals(plan, planner.plan("gpt-4o", profile, messages, 40, null, 0, seed));
      assertTrue(texts.add(plan.text()), "seed " + seed + " repeats another seed's answer");
    }
  }

  @Test
  void maxTokensCapsTheOutputAndSaysLength() {
    CompletionPlan p = new CompletionPlanner(1).plan("gpt-4o", profile, messages, 3, null);
    assertEquals(3, p.completionTokens());
    assertEquals("length", p.finishReason());
  }

  @Test
  void latenciesFollowTheProfileMedians() {
    CompletionPlanner planner = new CompletionPlanner(3);
    long[] ttfts = new long[2001];
    for (int i = 0; i < ttfts.length; i++) {
      ttfts[i] =
          planner
              .plan("gpt-4o", profile, List.of(ChatMessage.user("q" + i)), 50, null)
              .ttft()
              .toMillis();
    }
    Arrays.sort(ttfts);
    long median = ttfts[ttfts.length / 2];
    long p95 = ttfts[(int) (ttfts.length * 0.95)];
    assertTrue(Math.abs(median - 450) < 45, "median ttft " + median + " ms, profile says 450");
    assertTrue(Math.abs(p95 - 1200) < 150, "p95 ttft " + p95 + " ms, profile says 1200");
  }

  @Test
  void promptTokensGrowWithThePrompt() {
    int small = TokenCounter.promptTokens(List.of(ChatMessage.user("x".repeat(40))), 4);
    int large = TokenCounter.promptTokens(List.of(ChatMessage.user("x".repeat(4000))), 4);
    assertEquals(3 + 4 + 10, small);
    assertEquals(3 + 4 + 1000, large);
  }

  @Test
  void faultRatesDecideFaultsDeterministically() {
    FaultRates always429 =
        new FaultRates(1, 0, 0, 0, 0, Duration.ofSeconds(2), Duration.ofSeconds(1));
    ModelProfile flaky =
        new ModelProfile(
            profile.ttft(), profile.interToken(), profile.outputTokens(), 4, 1000, always429);
    assertEquals(
        Fault.RATE_LIMIT, new CompletionPlanner(1).plan("m", flaky, messages, 10, null).fault());
    assertEquals(
        Fault.NONE, new CompletionPlanner(1).plan("m", profile, messages, 10, null).fault());
    assertEquals(
        Fault.DROP, new CompletionPlanner(1).plan("m", profile, messages, 10, Fault.DROP).fault());
  }

  @Test
  void aRetryKeepsTheTokensButDrawsItsFaultAfresh() {
    FaultRates half = new FaultRates(0, 0.5, 0, 0, 0, Duration.ofSeconds(1), Duration.ofSeconds(1));
    ModelProfile flaky =
        new ModelProfile(
            profile.ttft(), profile.interToken(), profile.outputTokens(), 4, 1000, half);
    CompletionPlanner planner = new CompletionPlanner(9);
    int failedFirst = 0;
    int recovered = 0;
    for (int i = 0; i < 200; i++) {
      List<ChatMessage> m = List.of(ChatMessage.user("question " + i));
      CompletionPlan first = planner.plan("m", flaky, m, 20, null, 0);
      CompletionPlan retry = planner.plan("m", flaky, m, 20, null, 1);
      assertEquals(first.text(), retry.text(), "same request, same tokens");
      assertEquals(first, planner.plan("m", flaky, m, 20, null, 0), "same attempt, same plan");
      if (first.fault() == Fault.SERVER_ERROR) {
        failedFirst++;
        if (retry.fault() == Fault.NONE) recovered++;
      }
    }
    assertTrue(failedFirst > 60 && failedFirst < 140, "about half fail first: " + failedFirst);
    assertTrue(recovered > failedFirst / 4, "retries recover: " + recovered + " of " + failedFirst);
  }
}
