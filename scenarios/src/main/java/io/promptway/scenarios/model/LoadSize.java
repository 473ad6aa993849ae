package io.promptway.scenarios.model;

/**
 * What planning a load stage costs, by arithmetic on its rates before any arrival is drawn: the
 * requests it is expected to send and the random draws that take (Poisson stages draw candidates at
 * their highest rate and thin them, so a burst far above its base rate draws many more than it
 * keeps). Every planned request is held in memory for the whole run, its prompt text included:
 * about 620 bytes each with the default prompt of 100-300 tokens (measured on 200,000 and 2,000,000
 * planned requests), that is about 120 bytes and 4 per prompt token (one byte for each of its four
 * characters), planned at about 200,000 a second.
 */
public record LoadSize(double requests, double draws) {
  /** Requests per pattern a scenario may plan: about 600 MB and 5 s, within a 2 GB default heap. */
  public static final long MAX_REQUESTS = 1_000_000;

  /**
   * The memory the plan may take: the most requests with the default prompts (620 MB), and a little
   * room so that they stay within it.
   */
  public static final double MAX_PLAN_BYTES = 640e6;

  private static final double FIXED_BYTES = 120;
  // one byte for each of a token's characters: the prompts are ASCII
  private static final double BYTES_PER_PROMPT_TOKEN = Scenario.CHARS_PER_TOKEN;
  private static final double Z95 = 1.6448536269514722;

  /** Random draws one stage may take to plan: a few seconds of one core. */
  public static final long MAX_DRAWS = 100_000_000;

  public static LoadSize of(Scenario.Stage s) {
    double seconds = s.durationMs() / 1000;
    double requests =
        switch (s.type()) {
          case "ramp" -> (s.rate() + s.toRate()) / 2 * seconds;
          case "burst" -> {
            double inBursts = burstMs(s) / 1000;
            yield s.peakRate() * inBursts + s.rate() * (seconds - inBursts);
          }
          default -> s.rate() * seconds;
        };
    double draws = s.type().equals("constant") ? requests : s.maxRate() * seconds;
    return new LoadSize(requests, draws);
  }

  /** The memory one planned request of class {@code c} takes on average. */
  public static double bytesPerRequest(Scenario.RequestClass c) {
    return FIXED_BYTES + BYTES_PER_PROMPT_TOKEN * meanTokens(c.promptTokens());
  }

  /** The lognormal's sigma for a token range given by median and p95. */
  public static double sigma(Scenario.TokenRange range) {
    return Math.log((double) range.p95() / range.median()) / Z95;
  }

  /**
   * The mean token count the planner draws from {@code range}: its lognormal's, with the tail
   * capped at {@link Scenario#MAX_TOKENS} as the planner caps it.
   */
  public static double meanTokens(Scenario.TokenRange range) {
    double median = range.median(), cap = Scenario.MAX_TOKENS;
    if (range.p95() == range.median()) return Math.min(median, cap);
    double sigma = sigma(range);
    double k = Math.log(cap / median) / sigma;
    return median * Math.exp(sigma * sigma / 2) * normalCdf(k - sigma) + cap * (1 - normalCdf(k));
  }

  /** The standard normal distribution function (Abramowitz and Stegun 26.2.17, error < 1e-7). */
  private static double normalCdf(double x) {
    double t = 1 / (1 + 0.2316419 * Math.abs(x));
    double poly =
        t
            * (0.319381530
                + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
    double tail = 0.3989422804014327 * Math.exp(-x * x / 2) * poly;
    return x >= 0 ? 1 - tail : tail;
  }

  /** Time spent inside bursts: whole cycles, plus the part of the last burst inside the stage. */
  private static double burstMs(Scenario.Stage s) {
    double cycles = Math.floor(s.durationMs() / s.everyMs());
    double rest = s.durationMs() - cycles * s.everyMs();
    return cycles * s.lengthMs() + Math.min(rest, s.lengthMs());
  }
}
