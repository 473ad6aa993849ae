/**
 * The runtime's JDBC database (H2 by default), on which each service creates its own tables through
 * numbered migrations versioned per component. Writes are batched: write-behind on one writer
 * thread (one transaction per batch, callers go on at once) or group commit (shared transactions,
 * callers wait until their change is durable), with several small rows packed into one text column
 * and time-sortable ids (version 7 UUIDs, and the request ids of {@link RequestIds}) to keep each
 * insert cheap.
 */
package io.promptway.runtime.db;
