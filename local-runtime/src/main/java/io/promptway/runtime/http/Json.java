package io.promptway.runtime.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import io.promptway.runtime.config.DurationText;
import java.io.IOException;
import java.time.Duration;

/**
 * The JSON mapper of the wire format: snake_case keys, ISO-8601 instants, nulls left out, doubles
 * to 12 significant digits ({@link RoundedDoubles}), durations as 400ms, 29s, 5m.
 */
public final class Json {
  private static final ObjectMapper MAPPER =
      // Buffers from one shared pool, not a ThreadLocal per thread: with a virtual thread per
      // connection, thread-local buffers (about 16 KB each) stay pinned by every idle stream.
      JsonMapper.builder(
              JsonFactory.builder()
                  .recyclerPool(JsonRecyclerPools.newConcurrentDequePool())
                  .build())
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .addModule(new JavaTimeModule())
          // Property access through generated lambdas, not Method.invoke: the launcher makes core
          // reflection native-only (for start-up), which made every record accessor a JNI call.
          .addModule(new BlackbirdModule())
          .addModule(
              new SimpleModule("wire")
                  .addSerializer(Envelope.class, new EnvelopeSerializer())
                  .addSerializer(Double.class, new RoundedDoubles.Serializer())
                  .addSerializer(Double.TYPE, new RoundedDoubles.Serializer())
                  .addSerializer(Duration.class, new DurationSerializer()))
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  private Json() {}

  /** Durations as a config file writes them (5m, 400ms), not as a count of seconds. */
  private static final class DurationSerializer extends StdSerializer<Duration> {
    DurationSerializer() {
      super(Duration.class);
    }

    @Override
    public void serialize(Duration d, JsonGenerator g, SerializerProvider provider)
        throws IOException {
      g.writeString(DurationText.format(d));
    }
  }

  /** Shared and thread-safe; never reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  public static String text(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }
}
