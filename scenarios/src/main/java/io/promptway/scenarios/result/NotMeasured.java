package io.promptway.scenarios.result;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * A figure that was not measured is {@code null} in the result JSON, so a consumer does not read 0
 * ms, while the records keep their plain {@code double}s: {@link LatencyStats} with a count of 0
 * and an {@link AssertionOutcome#actual} of NaN. Files written before read the same (0.0, "NaN").
 */
final class NotMeasured {
  private NotMeasured() {}

  /** Writes a latency's figures, each null when nothing was measured. */
  static final class LatencySerializer extends StdSerializer<LatencyStats> {
    LatencySerializer() {
      super(LatencyStats.class);
    }

    @Override
    public void serialize(LatencyStats s, JsonGenerator g, SerializerProvider provider)
        throws IOException {
      g.writeStartObject();
      g.writeNumberField("count", s.count());
      figure(g, "mean", s.count(), s.mean());
      figure(g, "p50", s.count(), s.p50());
      figure(g, "p90", s.count(), s.p90());
      figure(g, "p95", s.count(), s.p95());
      figure(g, "p99", s.count(), s.p99());
      figure(g, "max", s.count(), s.max());
      g.writeEndObject();
    }

    private static void figure(JsonGenerator g, String name, long count, double value)
        throws IOException {
      g.writeFieldName(name);
      if (count == 0) g.writeNull();
      else g.writeNumber(Figures.significant(value));
    }
  }

  /** Writes NaN as null. */
  static final class NanSerializer extends StdSerializer<Double> {
    NanSerializer() {
      super(Double.class);
    }

    @Override
    public void serialize(Double value, JsonGenerator g, SerializerProvider provider)
        throws IOException {
      if (value == null || value.isNaN()) g.writeNull();
      else g.writeNumber(Figures.significant(value));
    }
  }

  /** Reads null (and the "NaN" of older files) as NaN. */
  static final class NanDeserializer extends StdDeserializer<Double> {
    NanDeserializer() {
      super(Double.class);
    }

    @Override
    public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return _parseDoublePrimitive(p, ctxt);
    }

    @Override
    public Double getNullValue(DeserializationContext ctxt) {
      return Double.NaN;
    }
  }
}
