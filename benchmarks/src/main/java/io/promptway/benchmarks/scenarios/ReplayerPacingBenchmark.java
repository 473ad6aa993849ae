package io.promptway.benchmarks.scenarios;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.promptway.benchmarks.LoopbackServer;
import io.promptway.scenarios.client.PatternClients;
import io.promptway.scenarios.model.Scenario;
import io.promptway.scenarios.model.ScenarioReader;
import io.promptway.scenarios.replay.Replayer;
import io.promptway.scenarios.result.PatternResult;
import io.promptway.scenarios.result.RunResult;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Pacing accuracy of the scenario replayer: a constant open-model load (default 2,000 req/s for 10
 * s) against a fast local Helidon target that answers {@code POST /sync/generate} at once. Prints
 * how late requests left relative to their schedule (p50/p99/max). Target: p99 below 1 ms.
 *
 * <p>Args: {@code [rate] [seconds] [target]}. {@code target} is {@code same-jvm} (default), a base
 * URL of a fast target in another process, or {@code serve} to run only that target and print its
 * URL. A target in its own JVM keeps its garbage collection and safepoints away from the pacer (a
 * safepoint stops every Java thread, the pacer included, for as long as the slowest thread takes to
 * reach it).
 */
public final class ReplayerPacingBenchmark {
  private static final byte[] BODY =
      ("{\"success\":true,\"data\":{\"text\":\"ok\",\"finish_reason\":\"stop\"},"
              + "\"metadata\":{\"request_id\":\"r\",\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1}}}")
          .getBytes(StandardCharsets.UTF_8);

  private ReplayerPacingBenchmark() {}

  private static Scenario scenario(double rate, int seconds) {
    return ScenarioReader.parse(
        "pacing.yaml",
        String.format(
            Locale.ROOT,
            """
            name: pacing
            time_scale: 1
            load: {stages: [{type: constant, rate: %s, duration: %ds}]}
            mix: [{weight: 1, prompt_tokens: 10, output_tokens: 1}]
            patterns: [sync]
            client: {timeout: 30s}
            """,
            rate,
            seconds));
  }

  public static void main(String[] args) throws Exception {
    double rate = args.length > 0 ? Double.parseDouble(args[0]) : 2000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    String where = args.length > 2 ? args[2] : "same-jvm";
    if (where.startsWith("http")) {
      measure(rate, seconds, URI.create(where.endsWith("/") ? where : where + "/"));
      return;
    }
    WebServer server =
        LoopbackServer.post(
            "/sync/generate",
            (req, res) -> {
              req.content().consume();
              res.header(HeaderNames.CONTENT_TYPE, "application/json");
              res.send(BODY);
            });
    URI target = URI.create("http://127.0.0.1:" + server.port() + "/");
    if (where.equals("serve")) {
      System.out.println(target);
      Thread.currentThread().join();
    }
    try {
      measure(rate, seconds, target);
    } finally {
      server.stop();
    }
  }

  private static void measure(double rate, int seconds, URI target) {
    // A warm-up run so the JIT has compiled the send path (C2, not just C1) before the measured
    // run.
    int warmSeconds = Integer.parseInt(System.getProperty("warmup.seconds", "10"));
    new Replayer(PatternClients.httpClient(), target, null).run(scenario(rate, warmSeconds));
    RunResult r =
        new Replayer(PatternClients.httpClient(), target, null).run(scenario(rate, seconds));
    PatternResult sync = r.patterns().getFirst();
    System.out.printf(
        Locale.ROOT,
        "pacing: %d sends at %.0f req/s for %d s: lateness p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
        r.pacing().sends(),
        rate,
        seconds,
        r.pacing().p50Ms(),
        r.pacing().p99Ms(),
        r.pacing().maxMs());
    System.out.printf(
        Locale.ROOT,
        "scheduler dispatch lateness (pacer alone): p99 %.3f ms, max %.3f ms%n",
        r.pacing().dispatchP99Ms(),
        r.pacing().dispatchMaxMs());
    System.out.printf(
        Locale.ROOT,
        "on the wire (HTTP client starts sending the body): p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
        r.pacing().wireP50Ms(),
        r.pacing().wireP99Ms(),
        r.pacing().wireMaxMs());
    System.out.printf(
        Locale.ROOT,
        "target: %d completed, %d failed; latency from schedule p50 %.2f ms, p99 %.2f ms; real duration %.2f s%n",
        sync.completed(),
        sync.failures(),
        sync.latency().p50(),
        sync.latency().p99(),
        r.realSeconds());
    System.out.println(
        "errors by kind: " + sync.errors() + ", peak in flight " + sync.peakInFlight());
    System.out.println(
        r.pacing().p99Ms() < 1 ? "PASS: p99 lateness < 1 ms" : "MISS: p99 lateness >= 1 ms");
  }
}
