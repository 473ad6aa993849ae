package io.promptway.patterns.websocket;

import io.promptway.runtime.http.Envelope;

/** The messages the server sends on {@code /ws/chat}; null fields are left out of the JSON. */
final class ServerMessages {
  private ServerMessages() {}

  record Accepted(String type, String requestId, String conversationId, String clientRef) {
    Accepted(String requestId, String conversationId, String clientRef) {
      this("accepted", requestId, conversationId, clientRef);
    }
  }

  record Token(String type, String requestId, long seq, String text) {
    Token(String requestId, long seq, String text) {
      this("token", requestId, seq, text);
    }
  }

  record Complete(
      String type,
      String requestId,
      String conversationId,
      Envelope.Usage usage,
      Envelope.Cost cost,
      double latencyMs,
      String finishReason) {
    Complete(
        String requestId,
        String conversationId,
        Envelope.Usage usage,
        Envelope.Cost cost,
        double latencyMs,
        String finishReason) {
      this("complete", requestId, conversationId, usage, cost, latencyMs, finishReason);
    }
  }

  record Cancelled(String type, String requestId, Integer completionTokens) {
    Cancelled(String requestId, int completionTokens) {
      this("cancelled", requestId, completionTokens);
    }
  }

  record Error(String type, String requestId, String clientRef, String code, String message) {
    Error(String requestId, String clientRef, String code, String message) {
      this("error", requestId, clientRef, code, message);
    }
  }
}
