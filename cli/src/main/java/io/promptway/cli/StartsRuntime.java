package io.promptway.cli;

/**
 * Marks a command that starts the embedded runtime: {@link Promptway#main} begins loading the
 * runtime's classes while picocli is still parsing the command line.
 */
public interface StartsRuntime {}
