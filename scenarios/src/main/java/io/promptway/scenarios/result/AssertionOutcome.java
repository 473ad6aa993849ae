package io.promptway.scenarios.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * One assertion checked against one pattern: the measured value and whether it held. {@code
 * skipped} says why it was not checked (its pattern was not run), and is null when it was; {@code
 * actual} is NaN when it was not measured (null in the result JSON).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AssertionOutcome(
    String assertion,
    String pattern,
    @JsonSerialize(using = NotMeasured.NanSerializer.class)
        @JsonDeserialize(using = NotMeasured.NanDeserializer.class)
        double actual,
    boolean holds,
    String skipped) {

  public AssertionOutcome(String assertion, String pattern, double actual, boolean holds) {
    this(assertion, pattern, actual, holds, null);
  }

  /** An assertion about a pattern the run did not compare: shown, but neither passed nor failed. */
  public static AssertionOutcome skipped(String assertion, String pattern) {
    return new AssertionOutcome(
        assertion, pattern, Double.NaN, false, "pattern " + pattern + " was not run");
  }

  public boolean wasSkipped() {
    return skipped != null;
  }

  /** PASS, FAIL or SKIP. */
  public String verdict() {
    return wasSkipped() ? "SKIP" : holds ? "PASS" : "FAIL";
  }
}
