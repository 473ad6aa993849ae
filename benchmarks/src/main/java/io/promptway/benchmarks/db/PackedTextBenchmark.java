package io.promptway.benchmarks.db;

import io.promptway.runtime.db.PackedText;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Packing what the write-behind writers pack per sync request: the meter's eight records (pattern,
 * unit, model, quantity, price, time) and the store's three trail entries, into packed text. {@code
 * meterLineCharByChar} writes the same line's text fields a character at a time, as {@link
 * PackedText.Builder} did before it copied fields that need no escape in one piece.
 *
 * <pre>
 * benchmarks/jmh.sh PackedTextBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class PackedTextBenchmark {
  private static final String[] UNITS = {
    "REST_API_REQUEST",
    "FUNCTION_REQUEST",
    "FUNCTION_GB_SECOND",
    "STATE_WRITE_UNIT",
    "STATE_WRITE_UNIT",
    "STATE_WRITE_UNIT",
    "LLM_INPUT_TOKEN",
    "LLM_OUTPUT_TOKEN"
  };
  private static final String[] DETAILS = {
    "accepted by the sync pattern", "gateway invoked the function", "model answered with 16 tokens"
  };

  private final Instant at = Instant.parse("2026-11-27T22:00:00.123456789Z");

  @Benchmark
  public int meterLineOfOneRequest() {
    PackedText.Builder line = new PackedText.Builder();
    for (int i = 0; i < UNITS.length; i++) {
      line.field("sync")
          .field(UNITS[i])
          .field(i < 6 ? null : "instant")
          .field(i == 2 ? 0.016 : 1.0)
          .field(2.0e-7 * (i + 1))
          .field(at)
          .endRow();
    }
    return line.toString().length();
  }

  @Benchmark
  public int meterLineCharByChar() {
    StringBuilder line = new StringBuilder(256);
    for (int i = 0; i < UNITS.length; i++) {
      escaped(line, "sync");
      escaped(line, UNITS[i]);
      if (i < 6) line.append("\\N\t");
      else escaped(line, "instant");
      line.append(i == 2 ? 0.016 : 1.0).append('\t');
      line.append(2.0e-7 * (i + 1)).append('\t');
      line.append(at.getEpochSecond()).append('.').append(at.getNano()).append('\t');
      line.append('\n');
    }
    return line.toString().length();
  }

  private static void escaped(StringBuilder text, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> text.append("\\\\");
        case '\t' -> text.append("\\t");
        case '\n' -> text.append("\\n");
        default -> text.append(c);
      }
    }
    text.append('\t');
  }

  @Benchmark
  public int trailOfOneRequest() {
    PackedText.Builder trail = new PackedText.Builder();
    String[] statuses = {null, "RECEIVED", "PROCESSING", "COMPLETED"};
    for (int i = 0; i < DETAILS.length; i++) {
      trail.field(statuses[i]).field(statuses[i + 1]).field(at).field(DETAILS[i]).endRow();
    }
    return trail.toString().length();
  }
}
