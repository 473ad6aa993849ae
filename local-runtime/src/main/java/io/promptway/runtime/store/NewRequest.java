package io.promptway.runtime.store;

import java.util.Map;

/** What is known of a request when it is accepted. */
public record NewRequest(
    String id,
    String pattern,
    String model,
    String caller,
    Map<String, Object> parameters,
    int promptChars) {}
