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

  @Test
  void aStopSequenceCutsTheTextBeforeItsFirstMatchAndKeepsOnlyTheTokensBefore() {
    CompletionPlan p = plan(Fault.NONE);
    String word = p.tokens().get(5); // " word", perhaps also earlier in the text
    String text = p.text();
    int cut = text.indexOf(word);
    CompletionPlan stopped = p.stoppedAt(List.of("never in the text", word));

    assertEquals(text.substring(0, cut), stopped.text());
    assertEquals("stop", stopped.finishReason());
    assertEquals(p.tokens().subList(0, stopped.completionTokens()), stopped.tokens());
    assertEquals(stopped.completionTokens(), stopped.gaps().size());
    assertTrue(stopped.completionTokens() <= 5);
    assertEquals(p, p.stoppedAt(List.of("never in the text", "")), "no match, no cut");
  }

  @Test
  void aStopSequenceInsideATokenKeepsThatTokensBeginning() {
    CompletionPlan p = plan(Fault.NONE);
    String first = p.tokens().get(0);
    String second = p.tokens().get(1); // " word": stop at its second letter on
    String stop = second.substring(2) + p.tokens().get(2);
    int cut = p.text().indexOf(stop);
    CompletionPlan stopped = p.stoppedAt(List.of(stop));
    assertEquals(p.text().substring(0, cut), stopped.text());
    if (cut == first.length() + 2) {
      assertEquals(List.of(first, second.substring(0, 2)), stopped.tokens());
    }
  }

  @Test
  void aDropOrStallPastTheStopDoesNotHappen() {
    CompletionPlan drop = plan(Fault.DROP);
    CompletionPlan stopped = drop.stoppedAt(List.of(drop.tokens().get(0).substring(0, 1)));
    assertEquals(0, stopped.completionTokens());
    assertEquals(Fault.NONE, stopped.fault());
    assertEquals(Duration.ZERO, stopped.answeredAfter().minus(stopped.ttft()));
  }
}
