package io.promptway.benchmarks.scenarios;

import io.promptway.patterns.PromptwayServer;
import io.promptway.patterns.RunningRuntime;
import io.promptway.runtime.config.ConfigLoader;
import io.promptway.scenarios.client.PatternClients;
import io.promptway.scenarios.model.Scenario;
import io.promptway.scenarios.model.ScenarioReader;
import io.promptway.scenarios.replay.Replayer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Time compression: a 10-minute scenario at time scale 20 against the embedded runtime (target:
 * within 40 s real), then the first {@code sampleSeconds} of the same seeded scenario at time scale
 * 1. The same requests (same index, same prompt, so the same emulated timings) are compared: the
 * median per-request ratio of simulated latency at scale 20 to scale 1 should be within 5% of 1.
 *
 * <p>Args: {@code [patterns] [scale] [sampleSeconds] [rate]} (rate in simulated requests/s, default
 * 2), e.g. {@code sync,sse 20 60 2}.
 */
public final class TimeCompressionBenchmark {
  private TimeCompressionBenchmark() {}

  static Scenario scenario(String patterns, double scale, String duration, double rate) {
    return ScenarioReader.parse(
        "compression.yaml",
        String.format(
            Locale.ROOT,
            """
            name: compression
            seed: 9
            time_scale: %s
            load: {stages: [{type: poisson, rate: %s, duration: %s}]}
            mix: [{weight: 1, prompt_tokens: {median: 100, p95: 300}, output_tokens: {median: 150, p95: 400}}]
            llm: {model: gpt-4o-mini}
            patterns: [%s]
            """,
            scale,
            rate,
            duration,
            patterns));
  }

  /** Closed to the model's timing: instant answers, 800 requests/s per pattern. */
  static Scenario warmUp(String patterns, int seconds) {
    return ScenarioReader.parse(
        "warm-up.yaml",
        String.format(
            Locale.ROOT,
            """
            name: warm-up
            seed: 1
            time_scale: 1
            load: {stages: [{type: constant, rate: 800, duration: %ds}]}
            mix: [{weight: 1, prompt_tokens: {median: 100, p95: 300}, output_tokens: {median: 150, p95: 400}}]
            llm: {model: instant}
            patterns: [%s]
            """,
            seconds,
            patterns));
  }

  static Replayer.Replay run(Scenario s) {
    Map<String, Object> overrides = new LinkedHashMap<>(s.runtimeOverrides());
    overrides.put("server.port", 0);
    overrides.put("environment", "production");
    overrides.put(
        "state.jdbc_url", "jdbc:h2:mem:bench-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    try (RunningRuntime runtime = PromptwayServer.start(new ConfigLoader().load(null, overrides))) {
      return new Replayer(PatternClients.httpClient(), runtime.baseUri(), null).replay(s);
    }
  }

  public static void main(String[] args) {
    String patterns = args.length > 0 ? args[0] : "sync";
    double scale = args.length > 1 ? Double.parseDouble(args[1]) : 20;
    int sample = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    double rate = args.length > 3 ? Double.parseDouble(args[3]) : 2;
    // Throwaway runs first: otherwise the scale-N run, which goes first in a fresh JVM, also pays
    // for JIT compilation of the whole runtime; at scale 20 every real millisecond of interpreted
    // or C1 code counts 20 times. A few hundred paced requests leave the request path in the
    // interpreter, so the JIT warm-up is a burst of instant-model requests (as JMH warms up).
    int warmSeconds = Integer.parseInt(System.getProperty("warmup.seconds", "20"));
    if (warmSeconds > 0) run(warmUp(patterns, warmSeconds));
    run(scenario(patterns, scale, "2m", rate));
    Replayer.Replay fast = run(scenario(patterns, scale, "10m", rate));
    System.out.printf(
        Locale.ROOT,
        "10 simulated minutes at time scale %s: %.1f s real, %d requests per pattern, pacing p99 %.2f ms%n",
        scale,
        fast.result().realSeconds(),
        fast.result().requestsPerPattern(),
        fast.result().pacing().p99Ms());
    Replayer.Replay slow = run(scenario(patterns, 1, sample + "s", rate));
    for (var run : List.of(fast, slow)) {
      for (var p : run.result().patterns()) {
        System.out.printf(
            Locale.ROOT,
            "  scale %s %s: %d sent, %d completed, errors %s, latency p50 %.0f ms p99 %.0f ms%n",
            run.result().timeScale(),
            p.pattern(),
            p.sent(),
            p.completed(),
            p.errors(),
            p.latency().p50(),
            p.latency().p99());
      }
    }
    for (String p : fast.latencyByRequest().keySet()) {
      double[] a = fast.latencyByRequest().get(p);
      double[] b = slow.latencyByRequest().get(p);
      int n = Math.min(slow.result().requestsPerPattern(), b.length);
      double[] ratios = new double[n];
      int k = 0;
      double sumA = 0, sumB = 0;
      for (int i = 0; i < n; i++) {
        if (Double.isNaN(a[i]) || Double.isNaN(b[i]) || b[i] <= 0) continue;
        ratios[k++] = a[i] / b[i];
        sumA += a[i];
        sumB += b[i];
      }
      Arrays.sort(ratios, 0, k);
      double median = k == 0 ? Double.NaN : ratios[k / 2];
      System.out.printf(
          Locale.ROOT,
          "%s: %d paired requests; mean simulated latency %.0f ms at scale %s vs %.0f ms at scale 1 (%.1f%%); median per-request ratio %.3f%n",
          p,
          k,
          sumA / k,
          scale,
          sumB / k,
          (sumA / sumB - 1) * 100,
          median);
    }
  }
}
