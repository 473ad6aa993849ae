package io.promptway.scenarios.report;

import static java.util.stream.Collectors.toSet;

import io.promptway.scenarios.model.Durations;
import io.promptway.scenarios.model.Scenario;
import io.promptway.scenarios.result.Findings;
import io.promptway.scenarios.result.PatternResult;
import io.promptway.scenarios.result.RunResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Ranks the compared patterns from measured figures. Score (lower is better) = 0.5 x latency / best
 * latency + 0.3 x cost / cheapest + 20 x failure rate, where latency is TTFT p95 when most of the
 * mix is interactive and end-to-end p95 otherwise, and cost is per 1,000 completed requests when
 * the patterns completed different shares of theirs (per 1,000 sent otherwise). Then compares the
 * winner with the seed article's "Recommended Strategy by Use Case" table.
 */
public final class Recommender {
  // A score is lower the better; twice the best latency adds as much as 2.5 % of requests failing.
  private static final double LATENCY_WEIGHT = 0.5;
  private static final double COST_WEIGHT = 0.3;
  private static final int FAILURE_WEIGHT = 20;

  /** The seed article's table: use case to (pattern, reasoning). */
  static final Map<String, String[]> ARTICLE =
      Map.of(
          "chatbot",
              new String[] {
                "websocket", "WebSocket + fallback to async: real-time feedback crucial for UX"
              },
          "content-generation",
              new String[] {
                "async", "Async with webhooks: long processing times, batch efficiency"
              },
          "api-integrations",
              new String[] {
                "hybrid",
                "Hybrid (sync for quick, async for complex): flexibility for different integration needs"
              },
          "mobile",
              new String[] {
                "async", "Async + push notifications: handle network interruptions gracefully"
              },
          "high-volume-saas",
              new String[] {
                "events", "Event-driven architecture: scale different components independently"
              },
          "simple-mvp", new String[] {"sync", "Synchronous REST: fastest to implement and test"});

  private Recommender() {}

  public static Recommendation recommend(RunResult r) {
    Scenario s = r.scenario();
    double total = s.mix().stream().mapToDouble(Scenario.RequestClass::weight).sum();
    double interactive =
        s.mix().stream()
                .filter(Scenario.RequestClass::interactive)
                .mapToDouble(Scenario.RequestClass::weight)
                .sum()
            / total;
    boolean ttftBasis = interactive >= 0.5;
    List<PatternResult> ps = r.patterns();
    boolean perCompleted = Findings.costPerCompleted(ps);
    String basis =
        String.format(
            Locale.ROOT,
            "%s p95 (%.0f%% of the mix is interactive), cost %s, failure rate",
            ttftBasis ? "time to first token" : "end-to-end latency",
            interactive * 100,
            Findings.costUnit(perCompleted));
    double bestLatency =
        ps.stream().mapToDouble(p -> latency(p, ttftBasis)).filter(v -> v > 0).min().orElse(1);
    double cheapest =
        ps.stream()
            .filter(p -> p.completed() > 0)
            .mapToDouble(p -> Findings.costPer1k(p, perCompleted))
            .filter(v -> v > 0)
            .min()
            .orElse(0);
    List<Recommendation.Ranked> ranked = new ArrayList<>();
    for (PatternResult p : ps) {
      double lat = latency(p, ttftBasis);
      double latScore = lat <= 0 ? 10 : lat / bestLatency;
      double cost = Findings.costPer1k(p, perCompleted);
      // billed for nothing served: as costly as the latency penalty
      boolean costUnknown = perCompleted && p.completed() == 0;
      double costScore = costUnknown ? 10 : cheapest <= 0 ? 1 : cost / cheapest;
      double failure = p.sent() == 0 ? 1 : p.rate(p.failures());
      double score = LATENCY_WEIGHT * latScore + COST_WEIGHT * costScore + FAILURE_WEIGHT * failure;
      List<String> reasons = new ArrayList<>();
      String latencyName = ttftBasis ? "TTFT" : "latency";
      reasons.add(
          lat <= 0
              ? latencyName + " p95 not measured"
              : String.format(
                  Locale.ROOT,
                  "%s p95 %s (%.2fx the best)",
                  latencyName,
                  Durations.format(lat),
                  latScore));
      if (r.costMetered()) {
        reasons.add(
            costUnknown
                ? Findings.usd(p.cost().totalUsd()) + " billed for no completed request"
                : String.format(
                    Locale.ROOT,
                    "%s %s (%.2fx the cheapest)",
                    Findings.usd(cost),
                    Findings.costUnit(perCompleted),
                    costScore));
      }
      if (p.sent() == 0) reasons.add("sent no requests");
      else {
        if (p.completed() == 0) reasons.add("completed none of its " + p.sent() + " requests");
        String causes = causes(p);
        reasons.add(
            String.format(
                Locale.ROOT,
                "%.1f%% failed%s",
                failure * 100,
                causes.isEmpty() ? "" : " (" + causes + ")"));
      }
      ranked.add(new Recommendation.Ranked(0, p.pattern(), score, reasons));
    }
    // a pattern that completed nothing ranks after every one that did, however cheap its failures
    Set<String> completedNone =
        ps.stream().filter(p -> p.completed() == 0).map(PatternResult::pattern).collect(toSet());
    ranked.sort(
        Comparator.comparing((Recommendation.Ranked x) -> completedNone.contains(x.pattern()))
            .thenComparingDouble(x -> rounded(x.score())));
    // equal scores (as shown) share a rank: the figures do not tell the patterns apart
    List<Recommendation.Ranked> numbered = new ArrayList<>();
    for (int i = 0; i < ranked.size(); i++) {
      var x = ranked.get(i);
      List<String> reasons = new ArrayList<>(x.reasons());
      List<String> tied =
          ranked.stream()
              .filter(y -> y != x && tie(x, y, completedNone))
              .map(Recommendation.Ranked::pattern)
              .toList();
      if (!tied.isEmpty()) reasons.add("tied with " + String.join(", ", tied));
      int rank =
          i > 0 && tie(x, ranked.get(i - 1), completedNone) ? numbered.get(i - 1).rank() : i + 1;
      numbered.add(new Recommendation.Ranked(rank, x.pattern(), rounded(x.score()), reasons));
    }
    String[] article = ARTICLE.get(s.useCase());
    String agreement;
    if (numbered.isEmpty()) {
      agreement = "Nothing was measured.";
    } else if (completedNone.size() == ps.size()) {
      numbered = List.of();
      agreement =
          "No pattern completed a request, so there is nothing to rank; see the failures (and"
              + " lower --time-scale if the machine could not keep up).";
    } else if (article == null) {
      agreement =
          "The scenario names no use case from the article's table (use_case: "
              + String.join(", ", Scenario.USE_CASES)
              + ").";
    } else {
      List<String> firsts =
          numbered.stream().filter(x -> x.rank() == 1).map(Recommendation.Ranked::pattern).toList();
      String measured =
          firsts.size() == 1
              ? firsts.getFirst() + " ranks first"
              : String.join(" and ", firsts) + " tie for first";
      int pos =
          numbered.stream()
              .filter(x -> x.pattern().equals(article[0]))
              .mapToInt(Recommendation.Ranked::rank)
              .findFirst()
              .orElse(-1);
      if (pos == 1 && firsts.size() == 1) {
        agreement = "Agrees with the article: " + article[0] + " ranks first here too.";
      } else if (pos == 1) {
        agreement =
            "Ties with the article: "
                + article[0]
                + " shares first place here with "
                + String.join(" and ", firsts.stream().filter(f -> !f.equals(article[0])).toList())
                + ".";
      } else if (pos < 0) {
        agreement =
            "The article recommends "
                + article[0]
                + ", which this run did not compare; measured, "
                + measured
                + ".";
      } else {
        agreement =
            "Differs from the article: it recommends "
                + article[0]
                + ", which ranks #"
                + pos
                + " here; "
                + measured
                + " on the measured figures.";
      }
    }
    return new Recommendation(
        s.name(),
        s.useCase(),
        basis,
        numbered,
        article == null ? null : article[0],
        article == null ? null : article[1],
        agreement);
  }

  /** Every kind of failure with its count: "9 integration timeouts, 19 throttled, 2 dropped". */
  static String causes(PatternResult p) {
    List<String> out = new ArrayList<>();
    if (p.timeouts() > 0) out.add(p.timeouts() + " integration timeouts");
    if (p.throttled() > 0) out.add(p.throttled() + " throttled");
    if (p.errors() != null) {
      new TreeMap<>(p.errors())
          .forEach(
              (kind, n) -> {
                if (n != null && n > 0 && !kind.equals("timeout") && !kind.equals("throttled"))
                  out.add(n + " " + kind.replace('_', ' '));
              });
    }
    if (p.unfinished() > 0) out.add(p.unfinished() + " unanswered at the end");
    return String.join(", ", out);
  }

  private static double rounded(double score) {
    return Math.round(score * 1000) / 1000.0;
  }

  private static boolean tie(
      Recommendation.Ranked a, Recommendation.Ranked b, Set<String> completedNone) {
    return rounded(a.score()) == rounded(b.score())
        && completedNone.contains(a.pattern()) == completedNone.contains(b.pattern());
  }

  private static double latency(PatternResult p, boolean ttft) {
    return ttft
        ? (p.ttft().count() == 0 ? 0 : p.ttft().p95())
        : (p.latency().count() == 0 ? 0 : p.latency().p95());
  }

  public static String render(Recommendation rec) {
    if (rec.ranking().isEmpty())
      return "Recommendation for " + rec.scenario() + ": " + rec.agreement() + "\n";
    StringBuilder sb =
        new StringBuilder(
            "Recommendation for "
                + rec.scenario()
                + " (ranked on "
                + rec.basis()
                + String.format(
                    Locale.ROOT,
                    "; score = %s x latency/best + %s x cost/cheapest + %s x failure rate,"
                        + " lower is better):%n",
                    LATENCY_WEIGHT,
                    COST_WEIGHT,
                    FAILURE_WEIGHT));
    for (var x : rec.ranking()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  %d. %-10s score %.3f  %s%n",
              x.rank(),
              x.pattern(),
              x.score(),
              String.join("; ", x.reasons())));
    }
    if (rec.articlePick() != null)
      sb.append("Seed article for ")
          .append(rec.useCase())
          .append(": ")
          .append(rec.articleReason())
          .append('\n');
    return sb.append(rec.agreement()).append('\n').toString();
  }
}
