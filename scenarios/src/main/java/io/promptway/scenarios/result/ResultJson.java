package io.promptway.scenarios.result;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Writes and reads a {@link RunResult} as snake_case JSON, every figure and the scenario. Figures
 * are written at {@link Figures#significant}.
 */
public final class ResultJson {
  private static final class FigureSerializer extends StdSerializer<Double> {
    FigureSerializer() {
      super(Double.class);
    }

    @Override
    public void serialize(Double value, JsonGenerator g, SerializerProvider provider)
        throws IOException {
      g.writeNumber(Figures.significant(value));
    }
  }

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(
              new SimpleModule("figures")
                  .addSerializer(Double.class, new FigureSerializer())
                  .addSerializer(Double.TYPE, new FigureSerializer()))
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private static final Pattern SOURCE =
      Pattern.compile("\\s*\\((?:start marker )?at \\[Source:[^\\]]*\\][^)]*\\)");

  private ResultJson() {}

  public static String write(RunResult result) {
    try {
      return JSON.writeValueAsString(result);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a saved result; a file that is not one fails naming it, the line and the column. */
  public static RunResult read(Path file) {
    String json;
    try {
      json = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read it as UTF-8 text: " + e, e);
    }
    return parse(json, file.toString(), "not a Promptway result file");
  }

  public static RunResult read(String json) {
    return parse(json, "result", "not a Promptway result");
  }

  private static RunResult parse(String json, String source, String notOne) {
    RunResult result;
    try {
      result = JSON.readValue(json, RunResult.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(at(source, e) + ": " + notOne + ": " + problem(e), e);
    }
    String missing = MissingParts.of(result);
    if (missing != null) {
      throw new IllegalArgumentException(source + ": " + notOne + ": it has no '" + missing + "'");
    }
    return result;
  }

  private static String at(String source, JsonProcessingException e) {
    JsonLocation where = e.getLocation();
    if (where == null || where.getLineNr() < 1) return source;
    return source + ":" + where.getLineNr() + ":" + where.getColumnNr();
  }

  /** Jackson's own words without its source excerpt, plus the field path when there is one. */
  private static String problem(JsonProcessingException e) {
    String path =
        e instanceof JsonMappingException m && !m.getPath().isEmpty()
            ? " (at "
                + m.getPath().stream()
                    .map(
                        r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."))
                    .replace(".[", "[")
                + ")"
            : "";
    return words(e) + path;
  }

  /**
   * Jackson's words for the underlying parse error; some of them embed a source location of their
   * own ("start marker at [Source: ...]"), which is dropped: the file, line and column are named
   * already.
   */
  private static String words(JsonProcessingException e) {
    JsonProcessingException root = e;
    while (root.getCause() instanceof JsonProcessingException cause) root = cause;
    if (root instanceof JsonEOFException) return "the JSON ends early";
    return SOURCE.matcher(root.getOriginalMessage()).replaceAll("");
  }
}
