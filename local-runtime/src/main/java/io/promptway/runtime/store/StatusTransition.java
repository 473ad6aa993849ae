package io.promptway.runtime.store;

import java.time.Instant;

/** One entry of the audit trail: a status change with when and why. */
public record StatusTransition(
    long seq, RequestStatus from, RequestStatus to, Instant at, String detail) {}
