package io.promptway.patterns.websocket;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.promptway.runtime.http.Envelope;

/** The messages the server sends on {@code /ws/chat}; null fields are left out of the JSON. */
final class ServerMessages {
  private ServerMessages() {}

  record Accepted(String type, String requestId, String conversationId, String clientRef) {
    Accepted(String requestId, String conversationId, String clientRef) {
      this("accepted", requestId, conversationId, clientRef);
    }
  }

  /**
   * {@code atMs}: when the model emitted the token ({@link io.promptway.patterns.common.EmitTime}).
   */
  record Token(String type, String requestId, long seq, String text, double atMs) {
    Token(String requestId, long seq, String text, double atMs) {
      this("token", requestId, seq, text, atMs);
    }

    /** The JSON the mapper would write, rendered by hand: this is the message sent per token. */
    String json() {
      JsonStringEncoder enc = JsonStringEncoder.getInstance();
      return new StringBuilder(64 + requestId.length() + text.length())
          .append("{\"type\":\"token\",\"request_id\":\"")
          .append(enc.quoteAsString(requestId))
          .append("\",\"seq\":")
          .append(seq)
          .append(",\"text\":\"")
          .append(enc.quoteAsString(text))
          .append("\",\"at_ms\":")
          .append(atMs)
          .append('}')
          .toString();
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
