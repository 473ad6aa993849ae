package io.promptway.runtime.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptway.runtime.config.ConfigLoader;
import io.promptway.runtime.gateway.ChatMessage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tokens a plan has generated at any moment, as the provider bills a caller that goes away. */
class CompletionPlanTest {
  private final ModelProfile profile = new ConfigLoader().defaults().llm().models().get("gpt-4o");
  private final List<ChatMessage> messages = List.of(ChatMessage.user("Explain queues."));
  private final CompletionPlanner planner = new CompletionPlanner(11);

  private CompletionPlan plan(Fault fault) {
    return planner.plan("gpt-4o", profile, messages, 60, fault);
  }

  /** When token {@code i} is due: the ttft, the gaps up to it, a stall before the fault token. */
  private static Duration due(CompletionPlan p, int i) {
    Duration d = p.ttft();
    for (int k = 0; k <= i; k++) d = d.plus(p.gaps().get(k));
    if (p.fault() == Fault.STALL && i >= p.faultAtToken()) d = d.plus(p.stall());
    return d;
  }

  private static final Duration NANO = Duration.ofNanos(1);

  @Test
  void eachTokenCountsFromTheInstantItIsDue() {
    CompletionPlan p = plan(Fault.NONE);
    assertTrue(p.completionTokens() > 10, "a plan long enough to cut: " + p.completionTokens());
    assertEquals(0, p.generatedBy(Duration.ZERO.minus(NANO)));
    assertEquals(0, p.generatedBy(p.ttft().minus(NANO)));
    for (int i = 0; i < p.completionTokens(); i++) {
      if (i + 1 < p.completionTokens() && due(p, i + 1).equals(due(p, i))) continue;
      assertEquals(i + 1, p.generatedBy(due(p, i)), "at token " + i + "'s instant");
      assertEquals(i, p.generatedBy(due(p, i).minus(NANO)), "just before token " + i);
    }
    assertEquals(p.completionTokens(), p.generatedBy(p.answeredAfter()));
    assertEquals(p.completionTokens(), p.generatedBy(Duration.ofDays(1)));
    assertEquals(p.completionTokens(), p.unstreamedOutputBy(p.answeredAfter()));
  }

  @Test
  void aStallDelaysTheTokensFromTheFaultOn() {
    CompletionPlan p = plan(Fault.STALL);
    int at = p.faultAtToken();
    assertTrue(at > 0, "a stall after the first token");
    assertEquals(at, p.generatedBy(due(p, at - 1).plus(p.stall()).minus(NANO)));
    assertEquals(at + 1, p.generatedBy(due(p, at)));
    assertEquals(p.completionTokens(), p.generatedBy(p.answeredAfter()));
  }

  @Test
  void aDropEndsGenerationAndANonStreamedDropBillsNoOutput() {
    CompletionPlan p = plan(Fault.DROP);
    assertEquals(p.faultAtToken(), p.generatedBy(p.answeredAfter()));
    assertEquals(0, p.unstreamedOutputBy(p.answeredAfter()));
    assertEquals(0, p.unstreamedOutputBy(due(p, 0)));
  }
}
