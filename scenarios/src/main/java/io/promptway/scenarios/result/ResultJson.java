package io.promptway.scenarios.result;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes and reads a {@link RunResult} as snake_case JSON, every figure and the scenario. */
public final class ResultJson {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private ResultJson() {}

  public static String write(RunResult result) {
    try {
      return JSON.writeValueAsString(result);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static RunResult read(Path file) {
    try {
      return JSON.readValue(Files.readString(file), RunResult.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          file + ": not a Promptway result file: " + e.getMessage(), e);
    }
  }

  public static RunResult read(String json) {
    try {
      return JSON.readValue(json, RunResult.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a Promptway result: " + e.getMessage(), e);
    }
  }
}
