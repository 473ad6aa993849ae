package io.promptway.runtime.llm;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.promptway.runtime.http.Json;
import java.io.IOException;

/**
 * Reads the fields of a chat completion that the client needs (the first choice's text and finish
 * reason, the token usage) in one pass over the body, skipping the rest unread. The sync path reads
 * one per request: in CPU profiles a tree of the whole body cost about 1.5 times as much, and
 * records bound to it about 3 times, as Jackson buffers the fields a record does not name
 * (benchmarks/RESULTS.md, session 12).
 */
final class CompletionBody {
  private CompletionBody() {}

  /**
   * The completion in {@code body}; a missing text reads as empty, missing usage as zero and a
   * missing finish reason as "stop". Fails when the body is not JSON or its fields have the wrong
   * shape.
   */
  static LlmClient.Completion read(byte[] body) throws IOException {
    String text = null;
    String finish = null;
    int promptTokens = 0;
    int completionTokens = 0;
    try (JsonParser p = Json.mapper().getFactory().createParser(body)) {
      expect(p, p.nextToken(), JsonToken.START_OBJECT, "the completion");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "choices" -> {
            expect(p, value, JsonToken.START_ARRAY, "choices");
            if (p.nextToken() == JsonToken.START_OBJECT) {
              while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                if (f.equals("finish_reason")) finish = string(p, v, "finish_reason");
                else if (f.equals("message") && v == JsonToken.START_OBJECT) text = content(p);
                else p.skipChildren();
              }
              for (JsonToken t; (t = p.nextToken()) != JsonToken.END_ARRAY; ) { // later choices
                if (t == null) throw new JsonParseException(p, "choices end early");
                p.skipChildren();
              }
            } else if (p.currentToken() != JsonToken.END_ARRAY) {
              throw new JsonParseException(p, "a choice is not an object");
            }
          }
          case "usage" -> {
            if (value == JsonToken.VALUE_NULL) continue;
            expect(p, value, JsonToken.START_OBJECT, "usage");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String f = p.currentName();
              p.nextToken();
              if (f.equals("prompt_tokens")) promptTokens = p.getValueAsInt();
              else if (f.equals("completion_tokens")) completionTokens = p.getValueAsInt();
              p.skipChildren();
            }
          }
          default -> p.skipChildren();
        }
      }
    }
    return new LlmClient.Completion(
        text == null ? "" : text, promptTokens, completionTokens, finish == null ? "stop" : finish);
  }

  private static String content(JsonParser p) throws IOException {
    String content = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken v = p.nextToken();
      if (f.equals("content")) content = string(p, v, "message.content");
      else p.skipChildren();
    }
    return content;
  }

  private static String string(JsonParser p, JsonToken t, String what) throws IOException {
    if (t == JsonToken.VALUE_NULL) return null;
    expect(p, t, JsonToken.VALUE_STRING, what);
    return p.getText();
  }

  private static void expect(JsonParser p, JsonToken t, JsonToken wanted, String what)
      throws IOException {
    if (t != wanted) throw new JsonParseException(p, what + " is " + t + ", not " + wanted);
  }
}
