package io.promptway.scenarios.model;

/**
 * What planning a load stage costs, by arithmetic on its rates before any arrival is drawn: the
 * requests it is expected to send and the random draws that take (Poisson stages draw candidates at
 * their highest rate and thin them, so a burst far above its base rate draws many more than it
 * keeps). Every planned request is held in memory for the whole run: about 620 bytes each with the
 * default prompt of 100-300 tokens (measured on 200,000 and 2,000,000 planned requests), planned at
 * about 200,000 a second.
 */
public record LoadSize(double requests, double draws) {
  /** Requests per pattern a scenario may plan: about 600 MB and 5 s, within a 2 GB default heap. */
  public static final long MAX_REQUESTS = 1_000_000;

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

  /** Time spent inside bursts: whole cycles, plus the part of the last burst inside the stage. */
  private static double burstMs(Scenario.Stage s) {
    double cycles = Math.floor(s.durationMs() / s.everyMs());
    double rest = s.durationMs() - cycles * s.everyMs();
    return cycles * s.lengthMs() + Math.min(rest, s.lengthMs());
  }
}
