package io.promptway.scenarios.result;

/** One assertion checked against one pattern: the measured value and whether it held. */
public record AssertionOutcome(String assertion, String pattern, double actual, boolean holds) {}
