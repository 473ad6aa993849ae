package io.promptway.patterns.hybrid;

import io.promptway.runtime.config.RuntimeConfig;
import io.promptway.runtime.gateway.GenerationRequest;

/**
 * The routing table, first match wins: an explicit {@code mode} is obeyed; {@code stream: true}
 * goes to WebSocket when the request belongs to a conversation, else to SSE; a long prompt or a
 * large max_tokens goes async (it may outlast the gateway timeout); a short prompt from a sync tier
 * is served synchronously; the rest gets the configured fallback. As the seed's {@code
 * determineRequestType}: quick requests sync, standard async, interactive streaming.
 */
public final class HybridRouter {
  private final RuntimeConfig.Hybrid rules;

  public HybridRouter(RuntimeConfig.Hybrid rules) {
    this.rules = rules;
  }

  public Route route(GenerationRequest g) {
    int chars = g.promptChars();
    String mode = g.mode() == null ? "auto" : g.mode();
    switch (mode) {
      case "sync" -> {
        return new Route("sync", "mode sync requested", null);
      }
      case "async" -> {
        return new Route("async", "mode async requested", null);
      }
      case "stream" -> {
        return streaming(g, "mode stream requested");
      }
      case "events" -> {
        return new Route(
            "events", "mode events requested: submit to the event bus", "/events/requests");
      }
      default -> {
        // auto: classify below
      }
    }
    if (g.stream()) return streaming(g, "stream requested");
    if (chars >= rules.asyncMinPromptChars()) {
      return new Route(
          "async",
          "long prompt (" + chars + " >= " + rules.asyncMinPromptChars() + " chars)",
          null);
    }
    if (g.maxTokens() >= rules.asyncMinMaxTokens()) {
      return new Route(
          "async",
          "long output (max_tokens " + g.maxTokens() + " >= " + rules.asyncMinMaxTokens() + ")",
          null);
    }
    if (chars <= rules.quickMaxPromptChars() && rules.syncTiers().contains(g.userTier())) {
      return new Route(
          "sync",
          "quick request: short prompt ("
              + chars
              + " <= "
              + rules.quickMaxPromptChars()
              + " chars) from the "
              + g.userTier()
              + " tier",
          null);
    }
    return new Route(
        rules.fallback(), "standard request: " + rules.fallback() + " by default", null);
  }

  private Route streaming(GenerationRequest g, String why) {
    if (g.conversationId() != null) {
      return new Route(
          "websocket", why + " in conversation " + g.conversationId(), rules.chatUrl());
    }
    return new Route("sse", why, rules.streamUrl());
  }
}
