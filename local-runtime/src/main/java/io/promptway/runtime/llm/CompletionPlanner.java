package io.promptway.runtime.llm;

import io.promptway.runtime.gateway.ChatMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Decides a completion deterministically: the same seed, model and messages give the same tokens,
 * timings and faults. Output text is drawn from a fixed vocabulary so it reads like prose but
 * carries no meaning.
 */
public final class CompletionPlanner {
  private static final String[] WORDS = {
    "the",
    "model",
    "answers",
    "with",
    "a",
    "clear",
    "and",
    "short",
    "reply",
    "that",
    "covers",
    "your",
    "question",
    "in",
    "plain",
    "words",
    "while",
    "keeping",
    "each",
    "step",
    "simple",
    "to",
    "follow",
    "so",
    "you",
    "can",
    "check",
    "it",
    "against",
    "data",
    "latency",
    "cost",
    "stream",
    "request",
    "pattern",
    "server",
    "client",
    "token",
    "queue",
    "event",
    "result",
    "status",
    "because",
    "when",
    "then",
    "also",
    "more",
    "less",
    "first",
    "next",
    "finally",
    "example",
    "shows",
    "how",
    "works",
    "this",
    "is",
    "an",
    "of",
    "for",
    "on",
    "by",
    "we",
    "note"
  };

  // Each token's text is one of these shared strings, so a plan holds references, not copies.
  private static final String[] SPACED = new String[WORDS.length];
  private static final String[] CAPITALISED = new String[WORDS.length];

  static {
    for (int i = 0; i < WORDS.length; i++) {
      SPACED[i] = " " + WORDS[i];
      CAPITALISED[i] = capitalise(WORDS[i]);
    }
  }

  private final long seed;

  public CompletionPlanner(long seed) {
    this.seed = seed;
  }

  public CompletionPlan plan(
      String model, ModelProfile profile, List<ChatMessage> messages, int maxTokens, Fault forced) {
    return plan(model, profile, messages, maxTokens, forced, 0);
  }

  /**
   * As {@link #plan(String, ModelProfile, List, int, Fault)} for the {@code attempt}-th call (from
   * 0) of the same request: tokens and timings stay the same, but the fault is drawn afresh per
   * attempt, as a transient fault would be, so a retry can succeed.
   */
  public CompletionPlan plan(
      String model,
      ModelProfile profile,
      List<ChatMessage> messages,
      int maxTokens,
      Fault forced,
      int attempt) {
    return plan(model, profile, messages, maxTokens, forced, attempt, null);
  }

  /**
   * As {@link #plan(String, ModelProfile, List, int, Fault, int)}, with the caller's own {@code
   * seed} (OpenAI's request field) mixed into the runtime's: another seed, another answer.
   */
  public CompletionPlan plan(
      String model,
      ModelProfile profile,
      List<ChatMessage> messages,
      int maxTokens,
      Fault forced,
      int attempt,
      Long requestSeed) {
    return plan(
        key(model, messages, maxTokens, requestSeed),
        model,
        profile,
        messages,
        maxTokens,
        forced,
        attempt);
  }

  /**
   * What decides a request's plan: the runtime's seed, the caller's, the model, messages and {@code
   * max_tokens}. The same request has the same key, so it also tells a retry from a new request.
   */
  public long key(String model, List<ChatMessage> messages, int maxTokens, Long requestSeed) {
    long key = seed;
    if (requestSeed != null) key = 31 * key + mix(requestSeed);
    key = 31 * key + model.hashCode();
    for (ChatMessage m : messages) {
      key = 31 * key + m.role().hashCode();
      key = 31 * key + m.content().hashCode();
    }
    return 31 * key + maxTokens;
  }

  /** The plan of the request whose {@link #key} is {@code key}, for its {@code attempt}-th call. */
  public CompletionPlan plan(
      long key,
      String model,
      ModelProfile profile,
      List<ChatMessage> messages,
      int maxTokens,
      Fault forced,
      int attempt) {
    SplittableRandom random = new SplittableRandom(key);
    int promptTokens = TokenCounter.promptTokens(messages, profile.charsPerToken());
    int wanted = profile.outputTokens().sample(random);
    int count = Math.min(wanted, maxTokens);
    String finish = wanted > maxTokens ? "length" : "stop";
    List<String> tokens = new ArrayList<>(count);
    List<Duration> gaps = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int word = random.nextInt(WORDS.length);
      tokens.add(i == 0 ? CAPITALISED[word] : SPACED[word]);
      gaps.add(i == 0 ? Duration.ZERO : profile.interToken().sample(random));
    }
    if (count > 0 && finish.equals("stop")) tokens.set(count - 1, tokens.get(count - 1) + ".");
    Duration ttft = profile.ttft().sample(random);
    SplittableRandom faults = new SplittableRandom(key * 1_000_003L + attempt);
    Fault fault = forced != null ? forced : drawFault(profile.faults(), faults);
    int at = count <= 1 ? 0 : 1 + faults.nextInt(count - 1);
    String id = "chatcmpl-" + HexFormat.of().toHexDigits(key);
    return new CompletionPlan(
        id,
        model,
        promptTokens,
        List.copyOf(tokens),
        ttft,
        List.copyOf(gaps),
        finish,
        fault,
        at,
        profile.faults().stallDuration(),
        profile.faults().retryAfter());
  }

  /** SplitMix64's finaliser: every bit of the seed moves the result, so no two seeds collide. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static Fault drawFault(FaultRates rates, SplittableRandom random) {
    double r = random.nextDouble();
    if ((r -= rates.rateLimited()) < 0) return Fault.RATE_LIMIT;
    if ((r -= rates.serverError()) < 0) return Fault.SERVER_ERROR;
    if ((r -= rates.unavailable()) < 0) return Fault.UNAVAILABLE;
    if ((r -= rates.stall()) < 0) return Fault.STALL;
    if ((r -= rates.streamDrop()) < 0) return Fault.DROP;
    return Fault.NONE;
  }

  private static String capitalise(String w) {
    return Character.toUpperCase(w.charAt(0)) + w.substring(1);
  }
}
