package io.promptway.runtime.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Request state (the emulated DynamoDB table): one row per request, every status change recorded in
 * an audit trail, and conditional transitions so two writers cannot clobber each other.
 */
public interface RequestStore extends AutoCloseable {

  RequestRecord create(NewRequest request);

  /**
   * Moves {@code id} from {@code expected} to {@code to} only if its status is still {@code
   * expected} (a conditional write); returns false, changing nothing, if another writer got there
   * first. Throws if the transition itself is not legal.
   */
  boolean transition(
      String id, RequestStatus expected, RequestStatus to, String detail, Outcome outcome);

  default boolean transition(String id, RequestStatus expected, RequestStatus to, String detail) {
    return transition(id, expected, to, detail, Outcome.NONE);
  }

  /**
   * Records an event in the audit trail without changing the status (e.g. "retry 2/3 scheduled").
   */
  void note(String id, String detail);

  /** A pattern's read of the row, billed as the table bills a read. */
  Optional<RequestRecord> find(String id);

  /**
   * As {@link #find}, for the runtime's own introspection ({@code GET /requests/{id}}): not billed,
   * so looking at a request does not change what it cost.
   */
  Optional<RequestRecord> inspect(String id);

  List<StatusTransition> trail(String id);

  /** Deletes rows whose TTL passed before {@code now}; returns how many. */
  int expire(Instant now);

  long count();

  @Override
  void close();
}
