package io.promptway.patterns.common;

import io.helidon.webserver.http.ServerRequest;

/**
 * Who is calling: the API key's name when the gateway authenticated one (set in the request
 * context), otherwise "anonymous".
 */
public final class Callers {
  public static final String CONTEXT_KEY = "promptway.caller";

  private Callers() {}

  public static String of(ServerRequest req) {
    return req.context().get(CONTEXT_KEY, String.class).orElse("anonymous");
  }
}
