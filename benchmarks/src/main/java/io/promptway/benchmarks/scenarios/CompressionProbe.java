package io.promptway.benchmarks.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promptway.patterns.PromptwayServer;
import io.promptway.patterns.RunningRuntime;
import io.promptway.runtime.config.ConfigLoader;
import io.promptway.scenarios.client.BlockingHttp;
import io.promptway.scenarios.client.GenerationCall;
import io.promptway.scenarios.model.Scenario;
import io.promptway.scenarios.workload.PlannedRequest;
import io.promptway.scenarios.workload.WorkloadPlanner;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Where time compression loses fidelity: sends the compression scenario's first requests one at a
 * time to {@code POST /sync/generate} at time scale 1 and at a higher scale, and for each compares
 * the latency the client measured (real, scaled to simulated time) with the runtime's own {@code
 * metadata.latency_ms}. The difference is the client and transport overhead; the runtime's own
 * latency, compared across scales, is the runtime's share.
 *
 * <p>Args: {@code [scale] [requests] [warm|cold]} ({@code warm}, the default, first runs a
 * throwaway pass).
 */
public final class CompressionProbe {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CompressionProbe() {}

  public static void main(String[] args) throws Exception {
    double scale = args.length > 0 ? Double.parseDouble(args[0]) : 20;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    boolean warm = args.length <= 2 || !args[2].equals("cold");
    if (warm) probe(scale, n); // a throwaway pass so the JIT has compiled both paths
    double[][] fast = probe(scale, n);
    double[][] slow = probe(1, n);
    double[] ratio = new double[n];
    double[] serverRatio = new double[n];
    for (int i = 0; i < n; i++) {
      ratio[i] = fast[0][i] / slow[0][i];
      serverRatio[i] = fast[1][i] / slow[1][i];
    }
    Arrays.sort(ratio);
    Arrays.sort(serverRatio);
    System.out.printf(
        Locale.ROOT,
        "median ratio scale %s / scale 1: client-measured %.3f, runtime latency_ms %.3f%n",
        scale,
        ratio[n / 2],
        serverRatio[n / 2]);
  }

  /** [0] client-measured simulated ms, [1] the runtime's latency_ms, per request. */
  private static double[][] probe(double scale, int n) throws Exception {
    Scenario s = TimeCompressionBenchmark.scenario("sync", scale, "60s", 2);
    List<PlannedRequest> plan = WorkloadPlanner.plan(s);
    Map<String, Object> overrides = new LinkedHashMap<>(s.runtimeOverrides());
    overrides.put("server.port", 0);
    overrides.put("environment", "production");
    overrides.put(
        "state.jdbc_url", "jdbc:h2:mem:probe-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    double[] client = new double[n];
    double[] server = new double[n];
    double sumClient = 0, sumServer = 0, sumHeader = 0;
    try (RunningRuntime runtime = PromptwayServer.start(new ConfigLoader().load(null, overrides));
        BlockingHttp http = BlockingHttp.create()) {
      for (int i = -3; i < n; i++) {
        PlannedRequest r = plan.get(Math.max(0, i));
        GenerationCall call =
            new GenerationCall(
                r.prompt(),
                s.llm().model(),
                r.maxTokens(),
                r.priority(),
                r.userTier(),
                null,
                Map.of("X-Promptway-Seq", Integer.toString(r.index())),
                Duration.ofMinutes(5),
                null,
                false,
                false,
                false);
        var body = JSON.createObjectNode();
        body.put("prompt", call.prompt());
        body.put("model", call.model());
        body.put("max_tokens", call.maxTokens());
        long t = System.nanoTime();
        var reply = http.post(runtime.baseUri().resolve("/sync/generate"), call, body, null);
        double realMs = (System.nanoTime() - t) / 1e6;
        if (i < 0) continue; // warm-up
        JsonNode meta = JSON.readTree(reply.body()).path("metadata");
        client[i] = realMs * scale;
        server[i] = meta.path("latency_ms").asDouble();
        sumClient += client[i];
        sumServer += server[i];
        sumHeader += realMs;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "scale %s: %d sequential requests; mean client-measured %.1f sim ms (%.2f real ms), runtime latency_ms %.1f, client minus runtime %.1f sim ms = %.2f real ms per request%n",
        scale,
        n,
        sumClient / n,
        sumHeader / n,
        sumServer / n,
        (sumClient - sumServer) / n,
        (sumClient - sumServer) / n / scale);
    return new double[][] {client, server};
  }
}
