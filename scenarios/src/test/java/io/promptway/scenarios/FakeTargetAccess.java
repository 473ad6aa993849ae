package io.promptway.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.util.List;

/** Lets tests in subpackages use the package-private {@link FakeTarget}. */
public final class FakeTargetAccess {
  public static final double REQUEST_USD = FakeTarget.REQUEST_USD;
  public static final double TOKEN_USD = FakeTarget.TOKEN_USD;

  private FakeTargetAccess() {}

  /** A running fake; close it. */
  public interface Handle extends AutoCloseable {
    URI baseUri();

    @Override
    void close();
  }

  public record Received(String pattern, int seq, JsonNode body) {}

  public static Handle start(long delayMs, int concurrency) throws IOException {
    FakeTarget t = new FakeTarget(delayMs, concurrency);
    return new Wrapped(t);
  }

  public static List<Received> received(Handle h, String pattern) {
    return ((Wrapped) h)
        .target.received(pattern).stream()
            .map(r -> new Received(r.pattern(), r.seq(), r.body()))
            .toList();
  }

  /** The most generations the target was asked to work on at once. */
  public static int peakConcurrent(Handle h) {
    return ((Wrapped) h).target.peakWorking.get();
  }

  /** How many status requests the target answered for {@code pattern}. */
  public static int polls(Handle h, String pattern) {
    var n = ((Wrapped) h).target.polls.get(pattern);
    return n == null ? 0 : n.get();
  }

  /** Makes the hybrid entry point queue every request (202), as the router's async route does. */
  public static void hybridQueues(Handle h) {
    ((Wrapped) h).target.hybridQueues = true;
  }

  public static void preBill(Handle h, String pattern, double usd) {
    ((Wrapped) h).target.preBill(pattern, usd);
  }

  private record Wrapped(FakeTarget target) implements Handle {
    @Override
    public URI baseUri() {
      return target.baseUri();
    }

    @Override
    public void close() {
      target.close();
    }
  }
}
