package io.promptway.runtime.observability;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;

/** {@code GET /metrics}: the registry in the Prometheus text format. */
public final class MetricsService implements HttpService {
  private final MetricsRegistry registry;

  public MetricsService(MetricsRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/metrics", this::scrape);
  }

  private void scrape(ServerRequest req, ServerResponse res) {
    res.header(HeaderNames.CONTENT_TYPE, PrometheusText.CONTENT_TYPE);
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.send(registry.scrape().getBytes(StandardCharsets.UTF_8));
  }
}
