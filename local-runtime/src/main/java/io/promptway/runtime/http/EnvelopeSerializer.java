package io.promptway.runtime.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * Writes the envelope field by field, as the mapper's record serializers would (snake_case keys,
 * null fields left out); the pattern's payload, the cost components and the error details go to the
 * mapper as before. Every response carries an envelope: walking its records through bean
 * serializers was a sixth of what writing a sync response's body cost in a CPU profile (about 0.5 %
 * of the request; benchmarks/RESULTS.md, session 12). {@code EnvelopeSerializerTest} holds the
 * output to the records' own.
 */
final class EnvelopeSerializer extends StdSerializer<Envelope> {
  EnvelopeSerializer() {
    super(Envelope.class);
  }

  @Override
  public void serialize(Envelope e, JsonGenerator g, SerializerProvider provider)
      throws IOException {
    g.writeStartObject();
    g.writeBooleanField("success", e.success());
    if (e.data() != null) provider.defaultSerializeField("data", e.data(), g);
    Envelope.Metadata m = e.metadata();
    if (m != null) {
      g.writeObjectFieldStart("metadata");
      string(g, "request_id", m.requestId());
      string(g, "pattern", m.pattern());
      string(g, "model", m.model());
      Envelope.Usage u = m.usage();
      if (u != null) {
        g.writeObjectFieldStart("usage");
        g.writeNumberField("prompt_tokens", u.promptTokens());
        g.writeNumberField("completion_tokens", u.completionTokens());
        g.writeNumberField("total_tokens", u.totalTokens());
        g.writeEndObject();
      }
      if (m.latencyMs() != null)
        g.writeNumberField("latency_ms", RoundedDoubles.round(m.latencyMs()));
      Envelope.Cost c = m.cost();
      if (c != null) {
        g.writeObjectFieldStart("cost");
        g.writeNumberField("total_usd", RoundedDoubles.round(c.totalUsd()));
        if (c.byComponent() != null)
          provider.defaultSerializeField("by_component", c.byComponent(), g);
        g.writeEndObject();
      }
      g.writeEndObject();
    }
    Envelope.ErrorBody error = e.error();
    if (error != null) {
      g.writeObjectFieldStart("error");
      string(g, "code", error.code());
      string(g, "message", error.message());
      if (error.details() != null) provider.defaultSerializeField("details", error.details(), g);
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static void string(JsonGenerator g, String name, String value) throws IOException {
    if (value != null) g.writeStringField(name, value);
  }
}
