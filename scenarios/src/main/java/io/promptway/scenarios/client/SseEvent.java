package io.promptway.scenarios.client;

/** One server-sent event: its id (may be null), type ({@code message} by default) and data. */
public record SseEvent(String id, String event, String data) {}
