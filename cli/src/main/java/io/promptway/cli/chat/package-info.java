/**
 * The interactive chat REPL ({@code promptway chat}): a jline line reader over one {@link
 * io.promptway.cli.chat.ChatTransport} per API pattern, streaming tokens as they arrive and
 * printing client-observed timings and the metered cost of each turn.
 */
package io.promptway.cli.chat;
