/**
 * The {@code promptway} command line (picocli): the root command and its subcommand table, {@code
 * serve} (runs the runtime until Ctrl-C or SIGTERM and lists its routes), the hidden {@code
 * warm-up} that records the ahead-of-time cache, the options shared by commands that start the
 * embedded runtime, and exit codes and failure printing. The scenario commands are in {@code
 * scenario}, the chat REPL in {@code chat}.
 */
package io.promptway.cli;
