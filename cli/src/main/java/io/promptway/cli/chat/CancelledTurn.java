package io.promptway.cli.chat;

/**
 * A cancelled turn once settled: its result priced with what the runtime metered for it, what
 * became of its request on the server, and whether that cost is the final bill or only what was
 * billed so far (the request still running when the chat stopped waiting).
 *
 * @param onServer what the runtime did with the request, for the user; null when unknown
 */
record CancelledTurn(TurnResult result, String onServer, boolean finalBill) {}
