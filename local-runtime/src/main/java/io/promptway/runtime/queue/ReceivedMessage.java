package io.promptway.runtime.queue;

import java.time.Instant;

/**
 * A message handed to a consumer. The receipt handle is valid for this receive only: after the
 * visibility timeout another consumer may receive the message with a new handle.
 *
 * @param requestId the request the message belongs to (billing is attributed to it), or null
 * @param receiveCount how many times the message has been received, this time included
 */
public record ReceivedMessage(
    String messageId,
    String receiptHandle,
    String body,
    String requestId,
    int receiveCount,
    Instant sentAt,
    Instant firstReceivedAt) {}
