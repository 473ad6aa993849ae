package io.promptway.patterns.websocket;

import io.promptway.patterns.Platform;
import io.promptway.runtime.store.ConversationStore;

/** What every chat connection shares: the platform, the conversations and the limits watchdog. */
record ChatContext(
    String pattern,
    Platform platform,
    ConversationStore conversations,
    ConnectionWatchdog watchdog) {}
