package io.promptway.runtime.store;

import java.time.Instant;

/**
 * One entry of the audit trail: a status change with when and why.
 *
 * @param seq the entry's place in its request's trail, from 1
 */
public record StatusTransition(
    long seq, RequestStatus from, RequestStatus to, Instant at, String detail) {}
