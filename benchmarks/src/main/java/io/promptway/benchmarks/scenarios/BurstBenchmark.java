package io.promptway.benchmarks.scenarios;

import com.sun.management.OperatingSystemMXBean;
import io.promptway.patterns.PromptwayServer;
import io.promptway.patterns.RunningRuntime;
import io.promptway.runtime.config.ConfigLoader;
import io.promptway.scenarios.client.PatternClients;
import io.promptway.scenarios.model.Scenario;
import io.promptway.scenarios.model.ScenarioReader;
import io.promptway.scenarios.replay.Replayer;
import io.promptway.scenarios.result.PatternResult;
import io.promptway.scenarios.result.RunResult;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The seed article's burst end to end: the replayer offers a constant load (default 2,000 req/s for
 * 60 s of real time, time scale 1) of streaming requests against the runtime embedded in the same
 * JVM, with a fast model profile. Prints send lateness (dispatch, thread start, on the wire), how
 * every request ended (completed, failed by kind, still in flight at the end: nothing may be
 * unaccounted for), peak in flight, latency, and the process's CPU time, peak threads and open file
 * descriptors.
 *
 * <p>The gateway's throttle (1,000 req/s steady, 2,000 burst, as on the platform) is switched off
 * and the function concurrency limit raised to 10,000 so the run measures the machine, not the
 * emulated limits. Args: {@code [rate] [seconds] [pattern] [model] [outputTokens]}, e.g. {@code
 * 2000 60 sse nova-micro 50}.
 */
public final class BurstBenchmark {
  private BurstBenchmark() {}

  static Scenario scenario(
      double rate, int seconds, String pattern, String model, int outputTokens) {
    return ScenarioReader.parse(
        "burst.yaml",
        String.format(
            Locale.ROOT,
            """
            name: burst
            seed: 11
            time_scale: 1
            load: {stages: [{type: constant, rate: %s, duration: %ds}]}
            mix: [{weight: 1, prompt_tokens: 50, output_tokens: %d}]
            llm: {model: %s}
            patterns: [%s]
            client: {timeout: 60s}
            """,
            rate,
            seconds,
            outputTokens,
            model,
            pattern));
  }

  public static void main(String[] args) throws Exception {
    double rate = args.length > 0 ? Double.parseDouble(args[0]) : 2000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    String pattern = args.length > 2 ? args[2] : "sse";
    String model = args.length > 3 ? args[3] : "nova-micro";
    int outputTokens = args.length > 4 ? Integer.parseInt(args[4]) : 50;
    Scenario s = scenario(rate, seconds, pattern, model, outputTokens);
    Map<String, Object> overrides = new LinkedHashMap<>(s.runtimeOverrides());
    overrides.put("server.port", 0);
    overrides.put("environment", "production");
    overrides.put("gateway.throttle.enabled", false);
    overrides.put("function.concurrency_limit", 10_000);
    overrides.put(
        "state.jdbc_url", "jdbc:h2:mem:burst-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (RunningRuntime runtime = PromptwayServer.start(new ConfigLoader().load(null, overrides))) {
      // warm-up: a few seconds at a tenth of the rate, so the JIT has compiled both sides
      new Replayer(PatternClients.httpClient(), runtime.baseUri(), null)
          .run(scenario(Math.max(1, rate / 10), 3, pattern, model, outputTokens));
      long cpu0 = os.getProcessCpuTime();
      PeakSampler peaks = new PeakSampler();
      RunResult r;
      try {
        r = new Replayer(PatternClients.httpClient(), runtime.baseUri(), null).run(s);
      } finally {
        peaks.stop();
      }
      double cpuSeconds = (os.getProcessCpuTime() - cpu0) / 1e9;
      PatternResult p = r.patterns().getFirst();
      long errored = p.errors().values().stream().mapToLong(Long::longValue).sum();
      long unaccounted = p.sent() - p.completed() - errored - p.unfinished();
      System.out.printf(
          Locale.ROOT,
          "burst: %s at %.0f req/s offered for %d s, model %s, %d output tokens; real %.1f s%n",
          pattern,
          rate,
          seconds,
          model,
          outputTokens,
          r.realSeconds());
      System.out.printf(
          Locale.ROOT,
          "send lateness: thread start p50 %.3f / p99 %.3f / max %.3f ms; on the wire p50 %.3f / p99 %.3f / max %.3f ms; pacer p99 %.3f / max %.3f ms%n",
          r.pacing().p50Ms(),
          r.pacing().p99Ms(),
          r.pacing().maxMs(),
          r.pacing().wireP50Ms(),
          r.pacing().wireP99Ms(),
          r.pacing().wireMaxMs(),
          r.pacing().dispatchP99Ms(),
          r.pacing().dispatchMaxMs());
      System.out.printf(
          Locale.ROOT,
          "requests: %d sent, %d completed, %d failed %s, %d in flight at the end, %d unaccounted for; peak in flight %d%n",
          p.sent(),
          p.completed(),
          errored,
          p.errors(),
          p.unfinished(),
          unaccounted,
          p.peakInFlight());
      System.out.printf(
          Locale.ROOT,
          "latency (from schedule): TTFT p50 %.0f / p99 %.0f ms; end to end p50 %.0f / p99 %.0f ms; tokens %d%n",
          p.ttft().p50(),
          p.ttft().p99(),
          p.latency().p50(),
          p.latency().p99(),
          p.outputTokens());
      System.out.printf(
          Locale.ROOT,
          "process: %.1f CPU s in %.1f s real (%.2f cores); peak threads %d, peak open fds %d%n",
          cpuSeconds,
          r.realSeconds(),
          cpuSeconds / r.realSeconds(),
          peaks.threads,
          peaks.fds);
      boolean met =
          r.pacing().wireP99Ms() < 5
              && r.pacing().p99Ms() < 5
              && unaccounted == 0
              && p.completed() == p.sent();
      System.out.println(
          met ? "MET: p99 send lateness < 5 ms, every request completed" : "NOT MET (see above)");
    }
  }

  /** Samples the process's live threads and open file descriptors every second. */
  private static final class PeakSampler {
    volatile int threads;
    volatile int fds;
    private final Thread thread;

    PeakSampler() {
      thread =
          Thread.ofPlatform()
              .daemon()
              .name("burst-peaks")
              .start(
                  () -> {
                    var mx = ManagementFactory.getThreadMXBean();
                    Path fdDir = Path.of("/proc/self/fd");
                    while (!Thread.currentThread().isInterrupted()) {
                      threads = Math.max(threads, mx.getThreadCount());
                      try (var list = Files.list(fdDir)) {
                        fds = Math.max(fds, (int) list.count());
                      } catch (Exception ignored) {
                        // not on Linux: fds stay 0
                      }
                      try {
                        Thread.sleep(1_000);
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  });
    }

    void stop() {
      thread.interrupt();
    }
  }
}
