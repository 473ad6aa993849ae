package io.promptway.patterns.hybrid;

/**
 * Where the router sends a request and why.
 *
 * @param pattern sync, async, sse, websocket or events
 * @param url the endpoint to use instead, for the patterns the router only points to
 */
public record Route(String pattern, String reason, String url) {
  public boolean served() {
    return url == null;
  }
}
