/**
 * The WebSocket chat pattern: {@code GET /ws/chat} upgrades to a connection on which the client
 * sends {@code generate} and {@code cancel} actions and receives {@code accepted}, {@code token},
 * {@code complete}, {@code cancelled} and {@code error} messages. Each generation is its own
 * function invocation, the conversation's context is kept on the state store across messages and
 * reconnects with its {@code conversation_id}, and cancelling or disconnecting stops the model's
 * stream. The platform's idle timeout, maximum connection duration and message size limit are
 * enforced; messages are billed in 32 KB units and connections by the minute.
 */
package io.promptway.patterns.websocket;
