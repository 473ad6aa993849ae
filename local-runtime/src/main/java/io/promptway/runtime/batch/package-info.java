/**
 * A writer thread of its own that takes items from many callers and hands them on in batches, in
 * the order they were added, gathering briefly after each batch's first item so that a busy
 * producer costs one write or commit per batch instead of one per item. Its queue is bounded and
 * drops nothing: a full queue makes callers wait for room, a flush waits until everything added
 * before it has been passed on, and a close passes on what is still queued.
 */
package io.promptway.runtime.batch;
