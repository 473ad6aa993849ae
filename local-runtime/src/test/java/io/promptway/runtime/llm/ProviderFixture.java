package io.promptway.runtime.llm;

import io.helidon.webserver.WebServer;
import io.promptway.runtime.clock.SimulatedClock;
import io.promptway.runtime.config.ConfigLoader;
import io.promptway.runtime.db.Database;
import io.promptway.runtime.metering.JdbcMeter;
import io.promptway.runtime.metering.PriceTable;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The emulated provider alone on a Helidon server at a free loopback port. */
final class ProviderFixture implements AutoCloseable {
  final SimulatedClock clock;
  final Database db;
  final JdbcMeter meter;
  final WebServer server;
  final LlmProviderService provider;

  ProviderFixture(
      double timeScale,
      Map<String, ModelProfile> extraModels,
      Optional<UpstreamForwarder> upstream) {
    clock = new SimulatedClock(timeScale);
    db = new Database("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    Map<String, Object> testPrices = new HashMap<>();
    extraModels.keySet().forEach(m -> testPrices.put(m, Map.of("input", 1.0, "output", 2.0)));
    meter = new JdbcMeter(db, PriceTable.load(Map.of("llm", testPrices)), clock);
    var models = new HashMap<>(new ConfigLoader().defaults().llm().models());
    models.putAll(extraModels);
    provider = new LlmProviderService(models, new CompletionPlanner(42), clock, meter, upstream);
    server =
        WebServer.builder()
            .host("127.0.0.1")
            .port(0)
            .routing(r -> r.register("/llm/v1", provider))
            .build()
            .start();
  }

  ProviderFixture(double timeScale) {
    this(timeScale, Map.of(), Optional.empty());
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + server.port() + "/llm/v1/");
  }

  @Override
  public void close() {
    server.stop();
    meter.close();
    db.close();
  }
}
