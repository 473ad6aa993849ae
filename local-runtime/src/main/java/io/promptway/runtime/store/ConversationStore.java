package io.promptway.runtime.store;

import io.promptway.runtime.gateway.ChatMessage;
import java.util.List;

/**
 * The turns of multi-turn conversations (a DynamoDB table keyed by conversation id and turn
 * number), so a client that reconnects with its conversation id continues where it left off. Reads
 * and writes are billed to the request that makes them.
 */
public interface ConversationStore {

  /** Every turn of {@code conversationId}, oldest first; empty when the conversation is new. */
  List<ChatMessage> history(String conversationId, String requestId, String pattern);

  /** Appends turns after the existing ones, creating the conversation if needed. */
  void append(String conversationId, List<ChatMessage> turns, String requestId, String pattern);

  /** How many turns the conversation holds (0 when unknown); free, for tests and introspection. */
  int turnCount(String conversationId);
}
