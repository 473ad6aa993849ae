package io.promptway.patterns.webhook;

import io.promptway.runtime.gateway.ChatMessage;
import io.promptway.runtime.gateway.GenerationRequest;
import io.promptway.runtime.http.Json;
import java.io.IOException;
import java.util.List;

/**
 * The queue message of one request: what the worker needs to call the model. The prompt travels in
 * the message (the request row keeps only parameters), so the queue is the durable copy of the
 * work.
 *
 * @param pattern the pattern the request is billed to (async, or hybrid when it routed here)
 */
public record AsyncJob(
    String requestId,
    String pattern,
    String model,
    List<ChatMessage> messages,
    int maxTokens,
    double temperature,
    String callbackUrl) {

  public static AsyncJob of(String requestId, String pattern, GenerationRequest g) {
    return new AsyncJob(
        requestId,
        pattern,
        g.model(),
        g.messages(),
        g.maxTokens(),
        g.temperature(),
        g.callbackUrl());
  }

  public String toJson() {
    return Json.text(this);
  }

  /** Parses a message body; throws IllegalArgumentException for a message that is not a job. */
  public static AsyncJob parse(String body) {
    try {
      AsyncJob job = Json.mapper().readValue(body, AsyncJob.class);
      if (job.requestId() == null || job.messages() == null || job.model() == null) {
        throw new IllegalArgumentException("not an async job: " + body);
      }
      return job;
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable async job: " + e.getMessage(), e);
    }
  }
}
