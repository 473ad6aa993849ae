package io.promptway.patterns.sync;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.promptway.patterns.Pattern;
import io.promptway.patterns.Platform;
import io.promptway.patterns.common.PatternResponses;
import io.promptway.patterns.common.RequestMetadata;
import io.promptway.runtime.db.RequestIds;
import io.promptway.runtime.gateway.GatewayContext;
import io.promptway.runtime.gateway.GenerationRequest;
import io.promptway.runtime.http.Bodies;
import java.util.List;

/**
 * Synchronous REST: {@code POST /sync/generate} validates, records the request, calls the model
 * through a function and answers with the whole text in one envelope (or 504 past the gateway's
 * integration timeout).
 */
public final class SyncPattern implements Pattern {
  public static final String NAME = "sync";

  private final Platform platform;
  private final RequestMetadata metadata;
  private final SyncGenerator generator;
  private final PatternResponses responses;

  public SyncPattern(Platform platform) {
    this.platform = platform;
    this.metadata = new RequestMetadata(platform.clock(), platform.meter());
    this.generator = new SyncGenerator(platform);
    this.responses = new PatternResponses(platform.config().environment().showsDetails());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> routes() {
    return List.of("POST /sync/generate");
  }

  public SyncGenerator generator() {
    return generator;
  }

  @Override
  public void routing(HttpRouting.Builder http) {
    http.post("/sync/generate", this::generate);
  }

  private void generate(ServerRequest req, ServerResponse res) {
    long start = platform.clock().nanos();
    byte[] body = Bodies.read(req.content(), req.headers());
    GenerationRequest g = platform.validator().parse(body);
    String id = RequestIds.next();
    String caller = GatewayContext.callerOf(req);
    generator
        .generate(
            id,
            NAME,
            g,
            caller,
            start,
            body.length,
            late -> {
              res.header(HeaderValues.CONNECTION_CLOSE);
              send(res, late, id, g, start);
            })
        .ifPresent(r -> send(res, r, id, g, start));
  }

  private void send(
      ServerResponse res, SyncGenerator.Result r, String id, GenerationRequest g, long start) {
    if (r.error() != null) {
      r.error().headers().forEach(res::header);
      responses.send(
          res,
          r.status(),
          responses.failure(r.error(), metadata.metered(id, NAME, g.model(), null, start)));
    } else {
      responses.send(res, r.status(), r.envelope());
    }
  }
}
